/**
 * `npm run bench:team` — slots of a 20-member round-robin team page over 60 days with 1,000 bookings per
 * member, next to the same figure for one host with 1,000 bookings (a personal page): the whole load
 * (page lookup, ONE bookings query for all members, calendar check, 20 engine runs, union) with the
 * caches dropped before every call, on the real database (Postgres when DATABASE_URL is set — a
 * throwaway database of its own — else in-memory PGlite). Prints figures; asserts nothing.
 *
 * Options (env): BENCH_MEMBERS (20), BENCH_BOOKINGS_PER_MEMBER (1000), BENCH_RUNS (30).
 */
import os from 'node:os';
import { percentile } from '@/lib/testing/bench-server';
import { throwawayBenchDatabase } from '@/lib/testing/throwaway-database';

process.env.AKI_WORKER = '0';
process.env.AKI_LOG_LEVEL ??= 'silent';
if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = 'memory://';

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};
const MEMBERS = num('BENCH_MEMBERS', 20);
const PER_MEMBER = num('BENCH_BOOKINGS_PER_MEMBER', 1000);
const RUNS = num('BENCH_RUNS', 30);
const DAYS = 60;
const HALF_HOUR = 30 * 60_000;

async function main(): Promise<void> {
  const drop = await throwawayBenchDatabase('aki_bench_team');
  const { getDb, getDbHandle, closeDb } = await import('@/lib/db/client');
  const { bookings } = await import('@/lib/db/schema/bookings');
  const { bookingPages, teamPageMembers } = await import('@/lib/db/schema/booking-pages');
  const { organisations, organisationMembers } = await import('@/lib/db/schema/organisations');
  const { makeHost } = await import('@/lib/bookings/testing');
  const { loadPublicSlots, forgetCachedPublicPages } = await import('@/lib/bookings/slots');
  const { loadTeamSlots, forgetCachedTeamSlots } = await import('./slots');
  const { forgetCachedTeamPages } = await import('./queries');
  const { todayIn, addCalendarDays } = await import('@/lib/availability/time-zone');

  const handle = await getDbHandle();
  const db = await getDb();
  const weekday = [{ start: '09:00', end: '17:00' }];
  const rules = {
    durationMinutes: 30,
    location: { type: 'link' as const, url: 'https://meet.example.com/bench' },
    timeZone: 'Asia/Tokyo',
    weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [], sun: [] },
    bookingWindowDays: DAYS + 5,
  };
  const [org] = await db.insert(organisations).values({ name: 'Bench team', slug: 'bench-team' }).returning();
  const members: Awaited<ReturnType<typeof makeHost>>[] = [];
  for (let i = 0; i < MEMBERS; i++) members.push(await makeHost({ name: `Member ${i + 1}` }));
  await db.insert(organisationMembers).values(members.map((m, i) => ({ organisationId: org!.id, userId: m.id, role: i === 0 ? ('owner' as const) : ('member' as const) })));
  const [teamPage] = await db
    .insert(bookingPages)
    .values({ userId: members[0]!.id, slug: 'intro', title: 'Team intro', organisationId: org!.id, teamKind: 'round_robin', ...rules })
    .returning();
  await db.insert(teamPageMembers).values(members.map((m, position) => ({ pageId: teamPage!.id, userId: m.id, position })));
  const [personal] = await db
    .insert(bookingPages)
    .values({ userId: members[0]!.id, slug: 'solo', title: 'Solo', ...rules })
    .returning();

  // 1,000 bookings per member at distinct random half hours of the next 60 days (all day long, so some
  // fall inside the page's hours and some outside, as a real calendar's would).
  const first = Math.ceil(Date.now() / HALF_HOUR) * HALF_HOUR + HALF_HOUR;
  for (const member of members) {
    const picked = new Set<number>();
    while (picked.size < Math.min(PER_MEMBER, DAYS * 48)) picked.add(Math.floor(Math.random() * DAYS * 48));
    const rows = [...picked].map((k) => {
      const start = new Date(first + k * HALF_HOUR);
      const end = new Date(start.getTime() + HALF_HOUR);
      return {
        uid: `b${member.id.slice(0, 8)}${k}`,
        userId: member.id,
        pageId: member.id === members[0]!.id ? personal!.id : null,
        title: 'Busy',
        location: rules.location,
        startAt: start,
        endAt: end,
        blockedStartAt: start,
        blockedEndAt: end,
        guestName: 'Guest',
        guestEmail: 'guest@example.com',
        guestTimeZone: 'UTC',
        manageTokenHash: 'x',
        meetingStatus: 'none' as const,
      };
    });
    for (let i = 0; i < rows.length; i += 500) await db.insert(bookings).values(rows.slice(i, i + 500));
  }

  const from = todayIn('Asia/Tokyo', new Date());
  const to = addCalendarDays(from, DAYS - 1);
  const measure = async (load: () => Promise<unknown>, forget: () => void) => {
    for (let i = 0; i < 3; i++) {
      forget();
      await load();
    }
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      forget();
      const t0 = performance.now();
      await load();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b);
  };
  const forgetAll = () => {
    forgetCachedPublicPages();
    forgetCachedTeamPages();
    forgetCachedTeamSlots();
  };
  const solo = await measure(
    () => loadPublicSlots({ handle: members[0]!.handle!, slug: 'solo', from, to, timeZone: 'America/New_York', now: new Date() }),
    forgetAll,
  );
  const team = await measure(() => loadTeamSlots({ orgSlug: 'bench-team', slug: 'intro', from, to, timeZone: 'America/New_York', now: new Date() }), forgetAll);
  const answer = await loadTeamSlots({ orgSlug: 'bench-team', slug: 'intro', from, to, timeZone: 'America/New_York', now: new Date() });
  const slots = answer.body.days.reduce((n, d) => n + d.slots.length, 0);

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`# bench:team — slots over ${DAYS} days, ${PER_MEMBER} bookings per member, ${handle.kind}, uncached, node ${process.version}, ${os.cpus().length} CPUs`);
  console.log(`single host (personal page):        p50 ${ms(percentile(solo, 50))}, p90 ${ms(percentile(solo, 90))} (n=${RUNS})`);
  console.log(`${MEMBERS}-member round-robin team page: p50 ${ms(percentile(team, 50))}, p90 ${ms(percentile(team, 90))} (n=${RUNS}), ${slots} slots offered`);
  console.log(`ratio team / single host (p50): ${(percentile(team, 50) / percentile(solo, 50)).toFixed(1)}× for ${MEMBERS}× the hosts`);
  await closeDb();
  await drop?.();
}

await main();
