import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { StepOutcome } from '@/lib/bookings/effects/context';
import type { BookingRow, BookingStepRow, StepKind } from '@/lib/bookings/types';
import type { Db, DbOrTx } from '@/lib/db/client';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { webhookEvents } from '@/lib/db/schema/integrations';
import { meetingRecordings } from '@/lib/db/schema/meetings';
import { isIntegrationError } from '@/lib/errors';
import { downloadRecordingFile, listRecordings } from '@/lib/zoom/recordings';
import { credentialForBooking } from './credentials';
import type { ZoomCredentialSource } from '@/lib/zoom/types';
import { parseVtt } from './transcript';
import { emitWebhookEvent } from '@/lib/webhooks/emit';

/**
 * Cloud recordings of a booking's meeting: from the `recording.completed` webhook and from the REST
 * safety net, merged by Zoom file id. The first time files are stored for a booking the host is mailed
 * (and the guest, when the page shares recordings); a TRANSCRIPT file is fetched by its own step
 * (`meeting.transcript`) and stored as plain text. Download URLs and tokens are never shown or mailed;
 * the delivery's download token lives only in the transcript step's payload until that step ends.
 *
 * lib/meetings sits beside lib/bookings (the worker calls in here), so it imports booking types only
 * and writes the booking's steps itself.
 */

/** A transcript larger than this is not fetched (status too_large). */
export const TRANSCRIPT_MAX_BYTES = 2 * 1024 * 1024;
const TRANSCRIPT_TIMEOUT_MS = 30_000;
const TRANSCRIPT_MAX_ATTEMPTS = 6;
const MAIL_MAX_ATTEMPTS = 10;

type RecordingFileInput = {
  zoomFileId: string;
  fileType: string;
  fileExtension: string | null;
  recordingType: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  sizeBytes: number | null;
  playUrl: string | null;
  downloadUrl: string | null;
  status: string | null;
};

const str = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : null;

const date = (value: unknown): Date | null => {
  const s = str(value);
  if (!s) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms);
};

const size = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
};

/** Zoom's recording_files[] (webhook and REST share the shape; ids may be numbers or strings). */
export function recordingFilesOf(object: Record<string, unknown>): RecordingFileInput[] {
  const files = Array.isArray(object.recording_files) ? object.recording_files : [];
  const out: RecordingFileInput[] = [];
  for (const raw of files) {
    if (typeof raw !== 'object' || raw === null) continue;
    const f = raw as Record<string, unknown>;
    const fileType = (str(f.file_type) ?? str(f.recording_type) ?? 'UNKNOWN').toUpperCase();
    const startedAt = date(f.recording_start);
    // Zoom omits the id on some files (e.g. TIMELINE in REST answers): the type and start identify it.
    const zoomFileId = str(f.id) ?? `${fileType}:${startedAt?.toISOString() ?? ''}`;
    out.push({
      zoomFileId,
      fileType,
      fileExtension: str(f.file_extension),
      recordingType: str(f.recording_type),
      startedAt,
      endedAt: date(f.recording_end),
      sizeBytes: size(f.file_size),
      playUrl: str(f.play_url),
      downloadUrl: str(f.download_url),
      status: str(f.status),
    });
  }
  return out;
}

const isTranscript = (f: { fileType: string }) => f.fileType === 'TRANSCRIPT';

async function insertStep(tx: DbOrTx, bookingId: string, kind: StepKind, payload: Record<string, unknown>, maxAttempts: number, now: Date) {
  await tx.insert(bookingSteps).values({ bookingId, kind, runAt: now, payload, maxAttempts, createdAt: now, updatedAt: now });
}

export type StoredRecording = { inserted: number; transcripts: number; mailed: ('host' | 'guest')[] };

/**
 * Stores a recording object's files for the booking (under the booking's row lock, so two deliveries
 * of one recording cannot both count as the first), then queues what follows. `downloadToken` goes
 * only into the transcript step's payload.
 */
async function storeRecording(db: Db, booking: BookingRow, object: Record<string, unknown>, downloadToken: string | null, now: Date): Promise<StoredRecording> {
  const files = recordingFilesOf(object);
  const shareUrl = str(object.share_url);
  const passcode = str(object.password) ?? str(object.recording_play_passcode);
  return db.transaction(async (tx) => {
    const [locked] = await tx.select({ id: bookings.id, status: bookings.status, pageId: bookings.pageId }).from(bookings).where(eq(bookings.id, booking.id)).for('update');
    if (!locked) return { inserted: 0, transcripts: 0, mailed: [] };
    const existing = files.length
      ? await tx
          .select({ id: meetingRecordings.id, zoomFileId: meetingRecordings.zoomFileId, transcriptStatus: meetingRecordings.transcriptStatus })
          .from(meetingRecordings)
          .where(and(eq(meetingRecordings.bookingId, booking.id), inArray(meetingRecordings.zoomFileId, files.map((f) => f.zoomFileId))))
      : [];
    const known = new Map(existing.map((r) => [r.zoomFileId, r]));
    let inserted = 0;
    const transcriptIds: number[] = [];
    for (const file of files) {
      const row = known.get(file.zoomFileId);
      if (row) {
        // A later answer may know more (size, URLs once processing finished): fill in, never blank out.
        await tx
          .update(meetingRecordings)
          .set({
            sizeBytes: sql`coalesce(${file.sizeBytes}::bigint, ${meetingRecordings.sizeBytes})`,
            playUrl: sql`coalesce(${file.playUrl}::text, ${meetingRecordings.playUrl})`,
            downloadUrl: sql`coalesce(${file.downloadUrl}::text, ${meetingRecordings.downloadUrl})`,
            status: sql`coalesce(${file.status}::text, ${meetingRecordings.status})`,
            updatedAt: now,
          })
          .where(eq(meetingRecordings.id, row.id));
        // A transcript that could not be fetched gets another chance when a new token arrives.
        if (isTranscript(file) && row.transcriptStatus === 'failed' && downloadToken) {
          await tx.update(meetingRecordings).set({ transcriptStatus: 'pending', updatedAt: now }).where(eq(meetingRecordings.id, row.id));
          transcriptIds.push(row.id);
        }
        continue;
      }
      const [created] = await tx
        .insert(meetingRecordings)
        .values({ bookingId: booking.id, ...file, transcriptStatus: isTranscript(file) ? 'pending' : 'none', createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .returning({ id: meetingRecordings.id });
      if (!created) continue;
      inserted++;
      if (isTranscript(file)) transcriptIds.push(created.id);
    }
    if (shareUrl || passcode) {
      await tx
        .update(bookings)
        .set({
          recordingShareUrl: sql`coalesce(${shareUrl}::text, ${bookings.recordingShareUrl})`,
          recordingPasscode: sql`coalesce(${passcode}::text, ${bookings.recordingPasscode})`,
          updatedAt: now,
        })
        .where(eq(bookings.id, booking.id));
    }
    // The stored delivery (webhook_events, kept 30 days) must not keep the token either: the step has it now.
    if (downloadToken) {
      await tx
        .update(webhookEvents)
        .set({ payload: sql`${webhookEvents.payload} - 'download_token'` })
        .where(
          and(
            eq(webhookEvents.provider, 'zoom'),
            eq(webhookEvents.bookingId, booking.id),
            eq(webhookEvents.event, 'recording.completed'),
            sql`${webhookEvents.payload}->>'download_token' = ${downloadToken}`,
          ),
        );
    }
    for (const recordingId of transcriptIds) {
      await insertStep(tx, booking.id, 'meeting.transcript', { recordingId, downloadToken }, TRANSCRIPT_MAX_ATTEMPTS, now);
    }
    // The mails go once per booking: the first time any file is stored (a duplicate delivery or a
    // later REST read finds the host's mail step and adds nothing).
    const mailed: ('host' | 'guest')[] = [];
    if (inserted > 0) {
      const [already] = await tx
        .select({ id: bookingSteps.id })
        .from(bookingSteps)
        .where(and(eq(bookingSteps.bookingId, booking.id), eq(bookingSteps.kind, 'mail.host.recording_ready')))
        .limit(1);
      if (!already) {
        await insertStep(tx, booking.id, 'mail.host.recording_ready', {}, MAIL_MAX_ATTEMPTS, now);
        mailed.push('host');
        await emitWebhookEvent(tx, booking, 'recording.ready', now);
        if (locked.status === 'confirmed' && locked.pageId && (await sharesWithGuest(tx, locked.pageId))) {
          await insertStep(tx, booking.id, 'mail.guest.recording_ready', {}, MAIL_MAX_ATTEMPTS, now);
          mailed.push('guest');
        }
      }
    }
    return { inserted, transcripts: transcriptIds.length, mailed };
  });
}

async function sharesWithGuest(tx: DbOrTx, pageId: string): Promise<boolean> {
  const [page] = await tx.select({ share: bookingPages.shareRecordingWithGuest }).from(bookingPages).where(eq(bookingPages.id, pageId)).limit(1);
  return page?.share === true;
}

/**
 * Stores the files of a `recording.completed` event (payload.object) once, then: queues the host's
 * recording mail (and the guest's when the page shares recordings), and a transcript fetch for a
 * TRANSCRIPT file using `downloadToken` (the delivery's token; null → the host's OAuth token).
 * Idempotent: a duplicate delivery adds nothing and mails nobody twice.
 */
export async function recordRecordingCompleted(
  db: Db,
  booking: BookingRow,
  object: Record<string, unknown>,
  downloadToken: string | null,
  now: Date,
): Promise<void> {
  await storeRecording(db, booking, object, downloadToken, now);
}

/** REST safety net: `GET /meetings/{id}/recordings`; same effects as the webhook for files not seen yet. 404/3301 = none (not an error). */
export async function syncRecordings(db: Db, booking: BookingRow, source: ZoomCredentialSource, now: Date): Promise<void> {
  if (!booking.zoomMeetingId) return;
  const object = await listRecordings(source, booking.zoomMeetingId);
  if (!object) return;
  await storeRecording(db, booking, object, null, now);
}

// ---- meeting.transcript ---------------------------------------------------------------------------

const RETRY_AFTER_MS = (attempt: number) => Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempt - 1));

async function setTranscript(db: DbOrTx, recordingId: number, values: Partial<typeof meetingRecordings.$inferInsert>, now: Date) {
  await db
    .update(meetingRecordings)
    .set({ ...values, updatedAt: now })
    .where(eq(meetingRecordings.id, recordingId));
}

/**
 * The `meeting.transcript` step: downloads the TRANSCRIPT file (the delivery's download token, else
 * the host's OAuth token; an expired delivery token falls back to the host's), follows redirects,
 * caps the size (too_large), parses WEBVTT to "Speaker: text" lines and stores them (fetched).
 * Failures retry with backoff; the step's onFailed marks the transcript failed. The token is dropped
 * from the step's payload when the step is done (transcriptStepFailed does it on failure).
 */
export async function runTranscriptStep(db: Db, booking: BookingRow, step: BookingStepRow, now: Date): Promise<StepOutcome> {
  const recordingId = Number(step.payload.recordingId);
  const dropToken = { downloadToken: null };
  const [file] = Number.isFinite(recordingId)
    ? await db
        .select()
        .from(meetingRecordings)
        .where(and(eq(meetingRecordings.id, recordingId), eq(meetingRecordings.bookingId, booking.id)))
        .limit(1)
    : [];
  if (!file) return { type: 'done', payload: { ...dropToken, outcome: 'recording gone' } };
  if (file.transcriptStatus === 'fetched') return { type: 'done', payload: { ...dropToken, outcome: 'already fetched' } };
  if (!file.downloadUrl) {
    await setTranscript(db, file.id, { transcriptStatus: 'failed' }, now);
    return { type: 'done', payload: { ...dropToken, outcome: 'no download URL' } };
  }
  const deliveryToken = typeof step.payload.downloadToken === 'string' && step.payload.downloadToken ? step.payload.downloadToken : null;
  const options = { maxBytes: TRANSCRIPT_MAX_BYTES, timeoutMs: TRANSCRIPT_TIMEOUT_MS };
  let result: Awaited<ReturnType<typeof downloadRecordingFile>>;
  try {
    // The credential that made the meeting (an organisation's recordings are read with its app).
    const host = (await credentialForBooking(db, booking)).source;
    try {
      result = await downloadRecordingFile(file.downloadUrl, deliveryToken ?? (await host.accessToken()), options);
    } catch (error) {
      if (!isIntegrationError(error, 'unauthorized')) throw error;
      // The delivery's token lasts about a day; the host's OAuth token may be refreshed once.
      const token = deliveryToken ? await host.accessToken() : await host.onUnauthorized(await host.accessToken());
      result = await downloadRecordingFile(file.downloadUrl, token, options);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isIntegrationError(error, 'not_found')) {
      await setTranscript(db, file.id, { transcriptStatus: 'failed' }, now);
      return { type: 'done', payload: { ...dropToken, outcome: 'failed', reason: message } };
    }
    if (isIntegrationError(error) && error.retryAfterMs !== undefined) return { type: 'retry', error: message, delayMs: error.retryAfterMs };
    return { type: 'retry', error: message, delayMs: RETRY_AFTER_MS(step.attempts), payload: step.attempts >= step.maxAttempts ? dropToken : undefined };
  }
  if (result.kind === 'too_large') {
    await setTranscript(db, file.id, { transcriptStatus: 'too_large' }, now);
    return { type: 'done', payload: { ...dropToken, outcome: 'too_large', bytes: result.bytes } };
  }
  const lines = parseVtt(result.bytes.toString('utf8'));
  await setTranscript(db, file.id, { transcriptStatus: 'fetched', transcriptText: lines.join('\n') }, now);
  return { type: 'done', payload: { ...dropToken, outcome: 'fetched', lines: lines.length } };
}

/** The transcript step failed for good: the transcript shows as failed and the step keeps no token. */
export async function transcriptStepFailed(db: Db, step: BookingStepRow, now: Date): Promise<void> {
  const recordingId = Number(step.payload.recordingId);
  if (Number.isFinite(recordingId)) {
    await db
      .update(meetingRecordings)
      .set({ transcriptStatus: 'failed', updatedAt: now })
      .where(and(eq(meetingRecordings.id, recordingId), inArray(meetingRecordings.transcriptStatus, ['pending', 'none'])));
  }
  await db
    .update(bookingSteps)
    .set({ payload: sql`${bookingSteps.payload} - 'downloadToken'` })
    .where(eq(bookingSteps.id, step.id));
}

/** What the recording mails need (play links only; never download URLs). */
export async function recordingFilesForMail(db: DbOrTx, bookingId: string) {
  return db
    .select({ fileType: meetingRecordings.fileType, recordingType: meetingRecordings.recordingType, playUrl: meetingRecordings.playUrl })
    .from(meetingRecordings)
    .where(eq(meetingRecordings.bookingId, bookingId))
    .orderBy(meetingRecordings.id);
}
