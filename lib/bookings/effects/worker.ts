import 'server-only';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { type Db, getDb } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { type BookingStepRow, isStepKind, type StepKind } from '@/lib/bookings/types';
import { defaultLog, type LogLevel, type LogSink } from '@/lib/log';
import { sendDueMails } from '@/lib/mail/outbox';
import { processSingleton } from '@/lib/process-singletons';
import { deliverDueWebhooks, onWebhookKick, takeWebhookKick } from '@/lib/webhooks/deliver';
import { webhookEmitStep } from '@/lib/webhooks/emit-step';
import { webhookEventData } from '../webhook-data';
import { pruneWebhookEvents } from '@/lib/zoom/webhooks';
import { calendarCreate, calendarDelete, calendarUpdate } from './calendar-steps';
import { errorMessage, type InlineRun, loadStepContext, type StepContext, type StepHandler, type StepOutcome, type StepSubject } from './context';
import { HEARTBEAT_MS, processIdentity, pruneHeartbeats, removeHeartbeat, touchHeartbeat, type WorkerRole } from './heartbeat';
import { mailStep } from './mail-steps';
import { meetingEvent, meetingSync } from './meeting-steps';
import { instantParam, iso, prepared } from '@/lib/db/prepared';
import { meetingChangedMail, meetingTranscript, recordingReadyMail } from './recording-steps';
import { followUpMail, reminderMail } from './reminder-steps';
import { backoffMs, claimDueSteps, claimStepById, type FinishUpdate, finishStep, followUpsWaiting } from './queue';
import { zoomCreate, zoomDelete, zoomUpdate } from './zoom-steps';

/**
 * Runs booking steps: inline (the Zoom create right after the booking commits, with a deadline) and
 * in the worker loop (in the web server process by default, or `npm run worker`). Several worker
 * processes are safe on Postgres (SKIP LOCKED claims + leases). PGlite is one session, so its locks
 * exclude nothing inside the process: claims flip status to running inside one transaction, and an
 * in-process set guards against running one step twice.
 */

/** Deliveries claimed per webhook pass (attempted concurrently). */
const WEBHOOK_BATCH = 50;

const HANDLERS: Record<StepKind, StepHandler> = {
  'zoom.create': zoomCreate,
  'zoom.update': zoomUpdate,
  'zoom.delete': zoomDelete,
  'calendar.create': calendarCreate,
  'calendar.update': calendarUpdate,
  'calendar.delete': calendarDelete,
  'mail.guest.confirmed': mailStep,
  'mail.host.confirmed': mailStep,
  'mail.guest.rescheduled': mailStep,
  'mail.host.rescheduled': mailStep,
  'mail.guest.cancelled': mailStep,
  'mail.host.cancelled': mailStep,
  'mail.guest.reassigned': mailStep,
  'mail.guest.link_ready': mailStep,
  'mail.host.link_ready': mailStep,
  'mail.host.zoom_problem': mailStep,
  'meeting.transcript': meetingTranscript,
  'mail.host.recording_ready': recordingReadyMail,
  'mail.guest.recording_ready': recordingReadyMail,
  'mail.host.meeting_changed': meetingChangedMail,
  'meeting.event': meetingEvent,
  'meeting.sync': meetingSync,
  'reminder.guest': reminderMail,
  'reminder.host': reminderMail,
  'followup.guest': followUpMail,
  'webhook.emit': webhookEmitStep(webhookEventData),
};

type WorkerState = {
  inFlight: Set<number>;
  loop: { stop: () => Promise<void>; wake: () => void } | null;
  /** Where this process's step lines go (the worker loop's `log`, else stdout). */
  log: LogSink;
};
const state = (): WorkerState => processSingleton('bookings:worker', () => ({ inFlight: new Set(), loop: null, log: defaultLog }));

/**
 * Who runs a step, for its log line: the worker loop of the web server ('in-process') or of
 * `npm run worker` ('standalone'), the booking request's inline Zoom attempt ('inline'), or a direct
 * call of runDueSteps/drainSteps (scripts, tests: 'direct').
 */
export type StepRunner = { role: WorkerRole | 'inline' | 'direct'; log: LogSink };

type StepLogOutcome = 'done' | 'skipped' | 'waiting' | 'retry' | 'failed';

/** One JSON line per executed step (README "Logs"). */
function logStep(
  runner: StepRunner,
  step: BookingStepRow,
  bookingUid: string | null,
  outcome: StepOutcome,
  update: FinishUpdate,
  recorded: boolean,
  durationMs: number,
): void {
  const kind: StepLogOutcome =
    update.status === 'failed'
      ? 'failed'
      : outcome.type === 'done' || outcome.type === 'skipped'
        ? outcome.type
        : outcome.type === 'retry'
          ? 'retry'
          : 'waiting';
  const level: LogLevel = kind === 'failed' ? 'error' : kind === 'retry' || (kind === 'waiting' && outcome.type === 'wait') ? 'warn' : 'info';
  const me = processIdentity();
  runner.log({
    level,
    msg: 'step',
    booking: bookingUid,
    step: step.kind,
    stepId: step.id,
    attempt: step.attempts,
    outcome: kind,
    ...(update.status === 'pending' && update.runAt ? { nextRetryAt: update.runAt.toISOString() } : {}),
    ...('error' in outcome ? { error: outcome.error } : {}),
    ...(outcome.type === 'defer' || outcome.type === 'skipped' ? { reason: outcome.reason } : {}),
    // Another executor took the step over after our lease ended: this result was not recorded.
    ...(recorded ? {} : { superseded: true }),
    durationMs,
    worker: me.id,
    role: runner.role,
    pid: me.pid,
  });
}

function logProblem(runner: StepRunner, msg: string, error: unknown, extra: Record<string, unknown> = {}): void {
  const me = processIdentity();
  runner.log({ level: 'error', msg, error: errorMessage(error), ...extra, worker: me.id, role: runner.role, pid: me.pid });
}

function toFinish(step: BookingStepRow, outcome: StepOutcome, now: Date): { update: FinishUpdate; failedWith: string | null } {
  switch (outcome.type) {
    case 'done':
      // An earlier attempt's error (e.g. "Zoom link revoked" before a reconnect) is no longer true.
      return { update: { status: 'done', lastError: null, payload: outcome.payload }, failedWith: null };
    case 'skipped':
      return { update: { status: 'skipped', lastError: null, payload: { reason: outcome.reason } }, failedWith: null };
    case 'defer':
      return {
        update: { status: 'pending', runAt: new Date(now.getTime() + outcome.delayMs), uncountAttempt: true, payload: { waitingFor: outcome.reason } },
        failedWith: null,
      };
    case 'wait':
      // Waiting for the host (reconnect) is not a failed attempt: it must not use up maxAttempts.
      return {
        update: { status: 'pending', runAt: new Date(now.getTime() + outcome.delayMs), lastError: outcome.error, uncountAttempt: true },
        failedWith: null,
      };
    case 'fail':
      return { update: { status: 'failed', lastError: outcome.error }, failedWith: outcome.error };
    case 'retry': {
      if (step.attempts >= step.maxAttempts) {
        return { update: { status: 'failed', lastError: outcome.error, payload: outcome.payload }, failedWith: outcome.error };
      }
      const delay = outcome.delayMs ?? backoffMs(step.attempts);
      return {
        update: { status: 'pending', runAt: new Date(now.getTime() + delay), lastError: outcome.error, payload: outcome.payload },
        failedWith: null,
      };
    }
  }
}

/**
 * Runs one claimed step to its recorded outcome. Never throws. For the request's inline attempt:
 * `inline.subject` is the booking, host and page as the caller just committed them (used instead of
 * reading them again), `inline.run` what the handler may do along with its result (InlineRun).
 */
export async function executeClaimedStep(
  db: Db,
  step: BookingStepRow,
  options: { now?: Date; zoomTimeoutMs?: number; inline?: { subject?: StepSubject; run?: InlineRun }; runner?: StepRunner } = {},
): Promise<StepOutcome | null> {
  const { now: fixedNow, zoomTimeoutMs, inline } = options;
  const runner = options.runner ?? { role: 'direct', log: state().log };
  const guard = state().inFlight;
  if (guard.has(step.id)) return null;
  guard.add(step.id);
  const clockStart = performance.now();
  try {
    const clock = () => fixedNow ?? new Date();
    const startedAt = clock();
    const loaded = inline?.subject ? { db, step, ...inline.subject, now: startedAt } : await loadStepContext(db, step, startedAt);
    const ctx: StepContext | null = loaded ? { ...loaded, zoomTimeoutMs, inline: inline?.run, clock } : null;
    const handler = isStepKind(step.kind) ? HANDLERS[step.kind] : null;
    let outcome: StepOutcome;
    if (!ctx) outcome = { type: 'fail', error: 'booking not found' };
    else if (!handler) outcome = { type: 'fail', error: `unknown step kind ${step.kind}` };
    else {
      try {
        outcome = await handler.run(ctx);
      } catch (error) {
        outcome = { type: 'retry', error: errorMessage(error) };
      }
    }
    const endedAt = clock();
    const { update, failedWith } = toFinish(step, outcome, endedAt);
    // A handler that recorded its end along with its result (one statement less) is not recorded again.
    const recorded = outcome.type === 'done' && outcome.finished !== undefined ? outcome.finished : await finishStep(db, step, update, endedAt);
    logStep(runner, step, ctx?.booking.uid ?? null, outcome, update, recorded, Math.round(performance.now() - clockStart));
    if (ctx && recorded && failedWith !== null && handler?.onFailed) {
      await handler.onFailed({ ...ctx, now: endedAt }, failedWith).catch((error) => logProblem(runner, 'step onFailed failed', error, { stepId: step.id, step: step.kind }));
    }
    if (recorded && (outcome.type === 'done' || outcome.type === 'skipped')) kickWorker();
    return outcome;
  } catch (error) {
    // The step stays running until its lease ends; then a worker claims it again.
    logProblem(runner, 'step could not run', error, { stepId: step.id, step: step.kind, attempt: step.attempts });
    return null;
  } finally {
    guard.delete(step.id);
  }
}

/** Claims and runs the due steps once (up to `limit`, concurrently). Returns how many ran. Tests pass `now` to move time. */
export async function runDueSteps(options: { now?: Date; limit?: number; log?: LogSink } = {}): Promise<number> {
  const db = await getDb();
  const now = options.now ?? new Date();
  const claimed = await claimDueSteps(db, now, options.limit ?? 20);
  const runner: StepRunner = { role: 'direct', log: options.log ?? state().log };
  await Promise.all(claimed.map((step) => executeClaimedStep(db, step, { now: options.now, runner })));
  return claimed.length;
}

/** Runs due steps until none is due at `now` (tests and scripts). */
export async function drainSteps(options: { now?: Date; maxRounds?: number; log?: LogSink } = {}): Promise<number> {
  let total = 0;
  for (let round = 0; round < (options.maxRounds ?? 50); round++) {
    const ran = await runDueSteps({ now: options.now, log: options.log });
    total += ran;
    if (ran === 0) break;
  }
  return total;
}

/**
 * Runs one step now (claimed by id, whatever its run time) with `deadlineMs` as the Zoom call timeout,
 * so a slow Zoom ends as an ambiguous failure that the worker reconciles (findMeetingByAgenda) before
 * any new create. The wait is also capped (token refresh etc.); a step still running then records its
 * outcome when it ends, and its lease keeps the worker away meanwhile.
 */
export async function runStepInline(stepId: number, deadlineMs: number): Promise<void> {
  const db = await getDb();
  const claimed = await claimStepById(db, stepId, new Date());
  if (!claimed) return;
  await runClaimedStepInline(db, claimed, deadlineMs);
}

/**
 * `runStepInline` for a step the caller has claimed already (inserted claimed in the booking
 * transaction), optionally with the booking/host/page it committed (`subject`). Resolves to the step's
 * outcome, or null when the wait ran out (the step then finishes on its own) or the step could not run.
 * `releaseFollowUps`: the step may release the booking's held-back follow-ups with its result; unless
 * the outcome says `followUpsReleased`, the caller releases them (releaseFollowUps) itself.
 */
export async function runClaimedStepInline(
  db: Db,
  claimed: BookingStepRow,
  deadlineMs: number,
  options: { subject?: StepSubject; releaseFollowUps?: boolean } = {},
): Promise<StepOutcome | null> {
  const inline: InlineRun = { releaseFollowUps: options.releaseFollowUps === true };
  const run = executeClaimedStep(db, claimed, {
    zoomTimeoutMs: Math.max(1, deadlineMs),
    inline: { subject: options.subject, run: inline },
    runner: { role: 'inline', log: state().log },
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      // The caller stops waiting and releases the follow-ups now; a late result must not do it again.
      inline.releaseFollowUps = false;
      resolve(null);
    }, deadlineMs + 1_000);
  });
  const outcome = await Promise.race([run, deadline]);
  clearTimeout(timer);
  return outcome;
}

/** After the inline attempt: the booking's mails and calendar write may go now. */
export async function releaseFollowUps(bookingId: string, now = new Date(), client?: Db): Promise<void> {
  const db = client ?? (await getDb());
  await prepared(db, 'releaseFollowUps', (root, name) =>
    root
      .update(bookingSteps)
      .set({ runAt: instantParam('now'), updatedAt: instantParam('now') })
      .where(followUpsWaiting(sql.placeholder('bookingId'), instantParam('now')))
      .prepare(name),
  ).execute({ bookingId, now: iso(now) });
  kickWorker();
}

/** Re-runs a host's pending steps of one integration now (after a reconnect). Returns how many were woken. */
async function wakeHostSteps(userId: string, kindPrefix: 'zoom' | 'calendar', now: Date): Promise<number> {
  const db = await getDb();
  const woken = await db
    .update(bookingSteps)
    .set({ runAt: now, updatedAt: now })
    .where(
      and(
        eq(bookingSteps.status, 'pending'),
        like(bookingSteps.kind, `${kindPrefix}.%`),
        inArray(bookingSteps.bookingId, db.select({ id: bookings.id }).from(bookings).where(eq(bookings.userId, userId))),
      ),
    )
    .returning({ id: bookingSteps.id });
  kickWorker();
  return woken.length;
}

/** Re-runs a host's waiting Zoom steps now (call after the host reconnects Zoom). */
export const wakeZoomSteps = (userId: string, now = new Date()) => wakeHostSteps(userId, 'zoom', now);

/** Re-runs a host's waiting calendar steps now (call after the host reconnects Google). */
export const wakeCalendarSteps = (userId: string, now = new Date()) => wakeHostSteps(userId, 'calendar', now);

/** Nudges this process's worker loop (no-op when none runs here). */
export function kickWorker(): void {
  state().loop?.wake();
}

export type WorkerOptions = {
  pollMs?: number;
  concurrency?: number;
  /** Where the step lines and the worker's own lines go (default: JSON on stdout, lib/log.ts). */
  log?: LogSink;
  /** 'in-process' (the web server's loop, the default) or 'standalone' (`npm run worker`). */
  role?: WorkerRole;
  heartbeatMs?: number;
};

/** Starts the worker loop in this process (idempotent). */
export function startWorker(options: WorkerOptions = {}): { stop: () => Promise<void> } {
  const s = state();
  if (s.loop) return s.loop;
  const pollMs = options.pollMs ?? 1_000;
  const concurrency = options.concurrency ?? 8;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const log = options.log ?? defaultLog;
  // Inline attempts and direct runs in this process log where the loop does.
  s.log = log;
  const runner: StepRunner = { role: options.role ?? 'in-process', log };
  const me = { ...processIdentity(), role: runner.role as WorkerRole, startedAt: new Date() };
  const tag = { worker: me.id, role: me.role, pid: me.pid };
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let kicked = false;
  let running = 0;
  const running_ = new Set<Promise<unknown>>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (kicked) {
        kicked = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        kicked = false;
        resolve();
      }
      wakeUp = done;
    });

  // The heartbeat is written from the loop itself: a loop that hangs stops beating.
  let lastBeat = 0;
  let lastPrune = 0;
  const beat = async (db: Db) => {
    const now = Date.now();
    if (now - lastBeat < heartbeatMs) return;
    try {
      await touchHeartbeat(db, me, new Date(now));
      lastBeat = now;
      if (now - lastPrune >= 60_000) {
        lastPrune = now;
        await pruneHeartbeats(db, new Date(now));
        // Raw webhook bodies are kept 30 days (README "Zoom").
        await pruneWebhookEvents(db, new Date(now));
      }
    } catch (error) {
      log({ level: 'error', msg: 'worker heartbeat failed', error: errorMessage(error), ...tag });
    }
  };

  // The mail outbox's retries (lib/mail/outbox.ts) ride along: one pass at a time, at most one per poll.
  let mailing: Promise<void> | null = null;
  let lastMailPass = 0;
  const retryMails = () => {
    if (mailing || Date.now() - lastMailPass < pollMs) return;
    lastMailPass = Date.now();
    mailing = sendDueMails({ log })
      .then(() => undefined)
      .catch((error) => log({ level: 'error', msg: 'worker mail claim failed', error: errorMessage(error), ...tag }))
      .finally(() => {
        mailing = null;
      });
  };

  // Outgoing webhooks (lib/webhooks/deliver.ts) ride along too: a pass right after a fan-out or a
  // "send test"/"redeliver" (the kick), else at most one per poll; another pass at once while a full batch came back.
  let delivering: Promise<void> | null = null;
  let lastWebhookPass = 0;
  const sendWebhooks = () => {
    if (delivering) return;
    if (!takeWebhookKick() && Date.now() - lastWebhookPass < pollMs) return;
    lastWebhookPass = Date.now();
    delivering = deliverDueWebhooks({ log, limit: WEBHOOK_BATCH })
      .then((claimed) => {
        if (claimed >= WEBHOOK_BATCH) kickWebhookPass();
      })
      .catch((error) => log({ level: 'error', msg: 'worker webhook claim failed', error: errorMessage(error), ...tag }))
      .finally(() => {
        delivering = null;
        wakeUp?.();
      });
  };
  const kickWebhookPass = () => {
    lastWebhookPass = 0;
    kicked = true;
    wakeUp?.();
  };
  onWebhookKick(kickWebhookPass);

  const loop = (async () => {
    const db = await getDb();
    log({ level: 'info', msg: 'worker started', hostname: me.hostname, concurrency, pollMs, ...tag });
    while (!stopped) {
      await beat(db);
      retryMails();
      sendWebhooks();
      let claimed: BookingStepRow[] = [];
      try {
        if (running < concurrency) claimed = await claimDueSteps(db, new Date(), concurrency - running);
      } catch (error) {
        log({ level: 'error', msg: 'worker claim failed', error: errorMessage(error), ...tag });
      }
      for (const step of claimed) {
        running++;
        const p = executeClaimedStep(db, step, { runner }).finally(() => {
          running--;
          running_.delete(p);
          wakeUp?.();
        });
        running_.add(p);
      }
      if (claimed.length === 0 || running >= concurrency) await sleep(Math.min(pollMs, heartbeatMs));
    }
    await Promise.all([...running_, mailing, delivering]);
    onWebhookKick(null);
    // A clean stop leaves no heartbeat behind: the health check then says "no worker" right away.
    await removeHeartbeat(db, me.id).catch((error) => log({ level: 'error', msg: 'worker heartbeat removal failed', error: errorMessage(error), ...tag }));
    log({ level: 'info', msg: 'worker stopped', ...tag });
  })();

  s.loop = {
    wake: () => {
      kicked = true;
      wakeUp?.();
    },
    stop: async () => {
      stopped = true;
      // A loop that is not asleep right now must not start a poll-long sleep before it sees `stopped`.
      kicked = true;
      wakeUp?.();
      await loop;
      s.loop = null;
      s.log = defaultLog;
    },
  };
  return s.loop;
}

/** For the bench / diagnostics: how many steps are not finished. */
export async function countOpenSteps(): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(bookingSteps)
    .where(inArray(bookingSteps.status, ['pending', 'running']));
  return row?.n ?? 0;
}
