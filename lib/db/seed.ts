import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { createApiToken } from '@/lib/api-tokens/mutations';
import type { BookingPageInput } from '@/lib/booking-pages/schema';
import { bookingPageInputSchema } from '@/lib/booking-pages/schema';
import { defaultScheduleName } from '@/lib/booking-pages/schedules';
import { toPageValues } from '@/lib/booking-pages/utils';
import { env } from '@/lib/env';
import { serverToServerSource } from '@/lib/zoom/s2s';
import { saveZoomLink } from '@/lib/zoom/mutations';
import { findZoomUser } from '@/lib/zoom/users';
import { closeDb, getDb, getDbHandle } from './client';
import { availabilitySchedules } from './schema/availability';
import { bookingPages, teamPageMembers } from './schema/booking-pages';
import { users } from './schema/hosts';
import { organisationMembers, organisations } from './schema/organisations';
import { ensureInstanceOrganisation, joinInstanceOrganisation } from '@/lib/organisations/service';

/**
 * `npm run db:seed`: the demo host (demo@example.com, handle `demo`) with a few booking pages and one
 * availability schedule (勤務時間, "Working hours": Mon–Fri 9–12 and 13–17 in Tokyo) that /demo/intro uses;
 * the other pages keep hours of their own.
 * Idempotent: the host and pages are created when missing and left alone otherwise (edits made in the
 * app survive a re-run). Every run makes a fresh API token. Human-readable progress goes to stderr;
 * stdout gets exactly one JSON line: {"host":"demo","email":"demo@example.com","apiToken":"aki_…"}.
 *
 * In demo mode with the in-app Zoom emulator, the demo host is also linked to the emulator's demo Zoom
 * user (demo.host@zoom-demo.example) as if the OAuth round trip had been made: the emulator issues a
 * token set into its saved state (.data/emulators/zoom.json, picked up by a running `npm run dev`) and
 * the same tokens are stored as the host's Zoom link. Re-running refreshes the link.
 *
 * When the instance organisation has a Zoom account (ZOOM_S2S_* with AKI_ORG_NAME, issue 12), the demo
 * host instead becomes its member (owner when in AKI_ADMIN_EMAILS), mapped to the Zoom user of the
 * account with the host's email, and uses "my organisation's Zoom": no personal Zoom link is made.
 */

const DEMO = { email: 'demo@example.com', handle: 'demo', name: 'Demo Host', timeZone: 'Asia/Tokyo', locale: 'ja' as const };

const weekdays = (windows: { start: string; end: string }[]) => ({ mon: windows, tue: windows, wed: windows, thu: windows, fri: windows, sat: [], sun: [] });

/** The demo host's working hours, used by /demo/intro (the seed tests book them). */
const DEMO_SCHEDULE = {
  name: defaultScheduleName(DEMO.locale),
  timeZone: 'Asia/Tokyo',
  weeklyHours: weekdays([
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ]),
  dateOverrides: [],
};

const DEMO_PAGES: BookingPageInput[] = [
  {
    slug: 'intro',
    title: '初回ヒアリング（30分）',
    description: 'Zoom で 30 分、ご相談内容をお伺いします。\nA 30-minute Zoom call to get to know your project.',
    durationMinutes: 30,
    location: { type: 'zoom' },
    timeZone: 'Asia/Tokyo',
    weeklyHours: weekdays([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]),
    dateOverrides: [],
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    minimumNoticeMinutes: 120,
    bookingWindowDays: 60,
    slotIntervalMinutes: null,
    maxBookingsPerDay: null,
    questions: [{ id: 'company', label: '会社名 / Company', type: 'text', required: false }],
    published: true,
  },
  {
    slug: 'consultation',
    title: '個別相談（60分）',
    description: '導入や設定について 1 時間じっくりご相談いただけます。\nOne hour to go through your setup in detail.',
    durationMinutes: 60,
    location: { type: 'zoom' },
    timeZone: 'Asia/Tokyo',
    weeklyHours: { ...weekdays([{ start: '10:00', end: '18:00' }]), sat: [{ start: '10:00', end: '12:00' }] },
    dateOverrides: [],
    bufferBeforeMinutes: 15,
    bufferAfterMinutes: 15,
    minimumNoticeMinutes: 24 * 60,
    bookingWindowDays: 30,
    slotIntervalMinutes: 30,
    maxBookingsPerDay: 3,
    questions: [
      { id: 'company', label: '会社名 / Company', type: 'text', required: true },
      { id: 'topic', label: 'ご相談の内容 / Topic', type: 'select', required: true, options: ['導入 / Getting started', '設定 / Setup', 'その他 / Other'] },
      { id: 'details', label: '詳細 / Details', type: 'multiline', required: false },
    ],
    published: true,
  },
  {
    slug: 'quick-call',
    title: '電話でのご質問（15分）',
    description: '短いご質問にお電話でお答えします。',
    durationMinutes: 15,
    location: { type: 'phone' },
    timeZone: 'Asia/Tokyo',
    weeklyHours: weekdays([{ start: '16:00', end: '18:00' }]),
    dateOverrides: [],
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 5,
    minimumNoticeMinutes: 60,
    bookingWindowDays: 14,
    slotIntervalMinutes: null,
    maxBookingsPerDay: 4,
    questions: [{ id: 'phone', label: '電話番号 / Phone', type: 'phone', required: true }],
    published: false,
  },
];

/** The emulator's demo Zoom user (lib/emulators/zoom/state.ts, defaultUsers). */
const DEMO_ZOOM_USER_ID = 'KdYKjnimT4KPd8FFgQt9FQ';

async function linkDemoZoom(hostId: string, log: (line: string) => void, who: { email: string; zoomUserId: string } = { email: DEMO.email, zoomUserId: DEMO_ZOOM_USER_ID }): Promise<void> {
  const { createZoomEmulator } = await import('@/lib/emulators/zoom/emulator');
  const { appZoomEmulatorOptions } = await import('@/lib/emulators/zoom/instance');
  const { emulatorStateFile, loadEmulatorState, saveEmulatorState } = await import('@/lib/emulators/persist');
  const emulator = createZoomEmulator(appZoomEmulatorOptions());
  const file = emulatorStateFile('zoom');
  loadEmulatorState(file, emulator);
  const user = emulator.state.users.find((u) => u.id === who.zoomUserId);
  if (!user) {
    log(`The Zoom emulator has no demo user ${who.zoomUserId} (reset it: POST /api/emulators/zoom/__control/reset); Zoom not linked.`);
    return;
  }
  const requestedAt = Date.now();
  const issued = emulator.issueTokenSet(user.id);
  saveEmulatorState(file, emulator);
  const outcome = await saveZoomLink(
    hostId,
    {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: new Date(requestedAt + issued.expires_in * 1000),
      scopes: issued.scope.split(/\s+/).filter(Boolean),
    },
    { id: user.id, accountId: user.accountId, email: user.email, type: user.type },
  );
  log(
    outcome === 'linked'
      ? `Linked ${who.email} to the demo Zoom user ${user.email} (emulator).`
      : `The demo Zoom user ${user.email} is linked to another host; ${who.email} was not linked.`,
  );
}

type SeedDb = Awaited<ReturnType<typeof getDb>>;

/** The second demo host: with `demo`, a member of the demo-team organisation's team pages. */
const DEMO2 = { email: 'demo2@example.com', handle: 'demo2', name: 'Demo Host Two', timeZone: 'Asia/Tokyo', locale: 'en' as const };
const DEMO2_ZOOM_USER_ID = 'Dm2HstQv7Lx0Rk3Pz9Wt5A';
const TEAM_SLUG = 'demo-team';

/** /team/demo-team/intro (round-robin) and /team/demo-team/panel (collective): demo and demo2, the hours of /demo/intro. */
const TEAM_PAGES: (BookingPageInput & { teamKind: 'round_robin' | 'collective' })[] = [
  {
    ...DEMO_PAGES[0]!,
    title: 'チーム紹介（30分） / Meet the team',
    description: '空いている担当者が Zoom で 30 分お話しします。\nA 30-minute Zoom call with whichever of us is free.',
    weeklyHours: DEMO_SCHEDULE.weeklyHours,
    teamKind: 'round_robin',
  },
  {
    ...DEMO_PAGES[0]!,
    slug: 'panel',
    title: 'パネル面談（45分） / Panel interview',
    description: '担当者全員が参加します。\nA 45-minute Zoom call with all of us.',
    durationMinutes: 45,
    weeklyHours: DEMO_SCHEDULE.weeklyHours,
    teamKind: 'collective',
  },
];

/** A host by email, created with `profile` when missing (never changed when present). */
async function ensureHost(db: SeedDb, profile: typeof DEMO2, log: (line: string) => void): Promise<string> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, profile.email)).limit(1);
  if (existing) return existing.id;
  const [created] = await db
    .insert(users)
    .values({ ...profile, emailVerified: new Date() })
    .returning({ id: users.id });
  log(`Created the second demo host ${profile.email} (/${profile.handle}).`);
  return created!.id;
}

/**
 * The demo-team organisation with demo (owner) and demo2, and its two team pages. On an instance with
 * AKI_ORG_NAME everyone is in the instance organisation: it gets the slug instead. A host already in
 * another organisation is left there (and off the team pages).
 */
async function seedDemoTeam(db: SeedDb, demoId: string, demo2Id: string, log: (line: string) => void): Promise<void> {
  const instance = env().instanceOrganisation ? await ensureInstanceOrganisation(db) : null;
  let organisationId: string;
  if (instance) {
    await joinInstanceOrganisation({ id: demo2Id, email: DEMO2.email }, db);
    organisationId = instance.id;
    await db.update(organisations).set({ slug: TEAM_SLUG }).where(and(eq(organisations.id, organisationId), isNull(organisations.slug)));
  } else {
    const [existing] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, TEAM_SLUG)).limit(1);
    organisationId = existing?.id ?? (await db.insert(organisations).values({ name: 'Demo Team', slug: TEAM_SLUG }).returning({ id: organisations.id }))[0]!.id;
    await db
      .insert(organisationMembers)
      .values([
        { organisationId, userId: demoId, role: 'owner' },
        { organisationId, userId: demo2Id, role: 'member' },
      ])
      .onConflictDoNothing();
  }
  const members = await db
    .select({ userId: organisationMembers.userId })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), inArray(organisationMembers.userId, [demoId, demo2Id])));
  const memberIds = [demoId, demo2Id].filter((id) => members.some((m) => m.userId === id));
  const [org] = await db.select({ slug: organisations.slug }).from(organisations).where(eq(organisations.id, organisationId));
  for (const { teamKind, ...page } of TEAM_PAGES) {
    const [inserted] = await db
      .insert(bookingPages)
      .values({ userId: demoId, ...toPageValues(bookingPageInputSchema.parse(page)), organisationId, teamKind })
      .onConflictDoNothing({ target: [bookingPages.organisationId, bookingPages.slug], where: sql`${bookingPages.organisationId} is not null` })
      .returning({ id: bookingPages.id });
    if (inserted) {
      await db.insert(teamPageMembers).values(memberIds.map((userId, position) => ({ pageId: inserted.id, userId, position })));
    }
    log(`${inserted ? '  +' : '  ='} team page /team/${org?.slug ?? TEAM_SLUG}/${page.slug} (${teamKind === 'round_robin' ? 'round-robin' : 'collective'}${inserted ? `, ${memberIds.length} members` : ', kept'})`);
  }
}

/** The Zoom user of the instance organisation's account with `email`: the in-app emulator's state in demo mode, else Zoom's API. */
async function zoomUserByEmail(organisationId: string, email: string, log: (line: string) => void): Promise<string | null> {
  const s2s = env().zoomS2s!;
  if (env().zoom.emulated) {
    const { createZoomEmulator } = await import('@/lib/emulators/zoom/emulator');
    const { appZoomEmulatorOptions } = await import('@/lib/emulators/zoom/instance');
    const { emulatorStateFile, loadEmulatorState } = await import('@/lib/emulators/persist');
    const emulator = createZoomEmulator(appZoomEmulatorOptions());
    loadEmulatorState(emulatorStateFile('zoom'), emulator);
    const user = emulator.state.users.find((u) => u.accountId === s2s.accountId && u.email.toLowerCase() === email.toLowerCase());
    return user?.id ?? null;
  }
  try {
    const source = serverToServerSource({ key: organisationId, accountId: s2s.accountId, clientId: s2s.clientId, clientSecret: s2s.clientSecret }, email);
    return (await findZoomUser(source, email))?.id ?? null;
  } catch (error) {
    log(`Could not look up the Zoom user ${email}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** The demo host on the instance organisation's Zoom: member (role from AKI_ADMIN_EMAILS), mapped by email, zoomSource 'organisation'. */
async function joinDemoHostToOrganisationZoom(db: SeedDb, hostId: string, log: (line: string) => void): Promise<void> {
  // The same joining every host does on sign-in (lib/organisations/service.ts).
  await joinInstanceOrganisation({ id: hostId, email: DEMO.email }, db);
  const organisation = await ensureInstanceOrganisation(db);
  if (!organisation) return;
  const organisationId = organisation.id;
  const zoomUserId = await zoomUserByEmail(organisationId, DEMO.email, log);
  if (zoomUserId) {
    await db
      .update(organisationMembers)
      .set({ zoomUserId, zoomUserEmail: DEMO.email, zoomMapping: 'email', zoomMappingProblem: null, updatedAt: new Date() })
      .where(and(eq(organisationMembers.userId, hostId), eq(organisationMembers.organisationId, organisationId)));
  }
  await db.update(users).set({ zoomSource: 'organisation' }).where(eq(users.id, hostId));
  log(
    zoomUserId
      ? `${DEMO.email} uses the organisation's Zoom (Zoom user ${DEMO.email}, id ${zoomUserId}).`
      : `${DEMO.email} uses the organisation's Zoom, but its account has no Zoom user ${DEMO.email} yet: an admin maps one (Organisation → Zoom).`,
  );
}

async function main(): Promise<void> {
  const handle = await getDbHandle();
  const db = await getDb();
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const hostId = await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id, handle: users.handle }).from(users).where(eq(users.email, DEMO.email)).limit(1);
    let id: string;
    if (!existing) {
      const [created] = await tx
        .insert(users)
        .values({ ...DEMO, emailVerified: new Date() })
        .returning({ id: users.id });
      id = created!.id;
      log(`Created the demo host ${DEMO.email} (/${DEMO.handle}).`);
    } else if (!existing.handle) {
      // Signed in before seeding but never finished onboarding: give the account the demo profile.
      id = existing.id;
      await tx.update(users).set({ handle: DEMO.handle, name: DEMO.name, timeZone: DEMO.timeZone, locale: DEMO.locale }).where(eq(users.id, id));
      log(`Completed the profile of ${DEMO.email} (/${DEMO.handle}).`);
    } else {
      id = existing.id;
      log(`The demo host ${DEMO.email} already exists (/${existing.handle}).`);
    }
    // The demo pages share one schedule (made once; edits made in the app survive a re-run).
    const [schedule] = await tx.select({ id: availabilitySchedules.id }).from(availabilitySchedules).where(eq(availabilitySchedules.userId, id)).limit(1);
    const scheduleId =
      schedule?.id ??
      (await tx.insert(availabilitySchedules).values({ userId: id, ...DEMO_SCHEDULE }).returning({ id: availabilitySchedules.id }))[0]!.id;
    for (const page of DEMO_PAGES) {
      // intro uses the shared schedule; the other pages keep hours of their own (both kinds on show).
      const values = toPageValues(bookingPageInputSchema.parse({ ...page, scheduleId: page.slug === 'intro' ? scheduleId : null }))
      const inserted = await tx
        .insert(bookingPages)
        .values({ userId: id, ...values })
        .onConflictDoNothing({ target: [bookingPages.userId, bookingPages.slug], where: sql`${bookingPages.organisationId} is null` })
        .returning({ id: bookingPages.id });
      log(inserted.length > 0 ? `  + page /${DEMO.handle}/${page.slug}` : `  = page /${DEMO.handle}/${page.slug} (kept)`);
    }
    return id;
  });

  const pageCount = await db.$count(bookingPages, and(eq(bookingPages.userId, hostId), isNull(bookingPages.organisationId)));
  const demo2Id = await ensureHost(db, DEMO2, log);
  if (env().zoomS2s && env().instanceOrganisation) await joinDemoHostToOrganisationZoom(db, hostId, log);
  else if (env().zoom.emulated) {
    await linkDemoZoom(hostId, log);
    await linkDemoZoom(demo2Id, log, { email: DEMO2.email, zoomUserId: DEMO2_ZOOM_USER_ID });
  }
  await seedDemoTeam(db, hostId, demo2Id, log);
  const { token } = await createApiToken(hostId, 'Demo (npm run db:seed)');
  log(`${pageCount} booking pages; database: ${handle.kind}. A new API token was created (shown once, below).`);
  process.stdout.write(`${JSON.stringify({ host: DEMO.handle, email: DEMO.email, apiToken: token })}\n`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await closeDb().catch(() => {});
}
