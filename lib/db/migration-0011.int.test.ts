import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { computeSlots } from '@/lib/availability/engine';
import { getPublicPage } from '@/lib/booking-pages/queries';
import type { WeeklyHours } from '@/lib/booking-pages/schema';
import { createThrowawayDatabase } from '@/lib/testing/throwaway-database';
import { type Db, schema } from './client';
import { MIGRATIONS_FOLDER } from './migrate';

/**
 * Migration 0011 turns every host's per-page hours into shared schedules without loss: a database
 * migrated up to 0010 gets hosts and pages with equal and different hours, then 0011 runs; each
 * distinct (zone, weekly hours, overrides) of a host becomes one schedule named in the host's language,
 * every page points at the schedule equal to its hours, keeps its own columns, and offers the same slots.
 * On PGlite, and on Postgres when DATABASE_URL is set.
 */

type Migrator = (folder: string) => Promise<void>;
type Target = { db: Db; migrateTo: Migrator; close: () => Promise<void> };

/** drizzle/ with only the migrations before 0011 (the journal cut there). */
function foldersUpTo0010(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aki-mig-'));
  fs.mkdirSync(path.join(dir, 'meta'));
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= 10);
  expect(journal.entries.at(-1)?.tag).toBe('0010_organisations');
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

async function pgliteTarget(): Promise<Target> {
  const [{ PGlite }, { btree_gist }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const lite = new PGlite({ extensions: { btree_gist } });
  const db = drizzle({ client: lite, schema, casing: 'snake_case' });
  return { db: db as unknown as Db, migrateTo: (folder) => migrate(db, { migrationsFolder: folder }), close: () => lite.close() };
}

async function postgresTarget(serverUrl: string): Promise<Target> {
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres'), import('drizzle-orm/node-postgres/migrator')]);
  const database = await createThrowawayDatabase(serverUrl, 'aki_mig');
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const db = drizzle({ client: pool, schema, casing: 'snake_case' });
  return {
    db: db as unknown as Db,
    migrateTo: (folder) => migrate(db, { migrationsFolder: folder }),
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

const day = (start: string, end: string) => [{ start, end }];
const office: WeeklyHours = { mon: day('09:00', '17:00'), tue: day('09:00', '17:00'), wed: [], thu: [], fri: [], sat: [], sun: [] };
const evenings: WeeklyHours = { mon: day('18:00', '21:00'), tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const closedNewYear = [{ date: '2030-01-01', intervals: [] }];

type PageSeed = { id: string; user: string; slug: string; zone: string; hours: WeeklyHours; overrides?: unknown[]; createdAt: string };
const PAGES: PageSeed[] = [
  // Host "en": two pages with equal hours (one schedule), one with other hours, one equal but in another zone.
  { id: 'p-a1', user: 'u-en', slug: 'a1', zone: 'Asia/Tokyo', hours: office, createdAt: '2026-01-01T00:00:00Z' },
  { id: 'p-a2', user: 'u-en', slug: 'a2', zone: 'Asia/Tokyo', hours: office, createdAt: '2026-01-03T00:00:00Z' },
  { id: 'p-a3', user: 'u-en', slug: 'a3', zone: 'Asia/Tokyo', hours: evenings, createdAt: '2026-01-02T00:00:00Z' },
  { id: 'p-a4', user: 'u-en', slug: 'a4', zone: 'Europe/Berlin', hours: office, overrides: closedNewYear, createdAt: '2026-01-04T00:00:00Z' },
  // Host "ja": the same hours as host "en" (schedules are never shared between hosts).
  { id: 'p-j1', user: 'u-ja', slug: 'j1', zone: 'Asia/Tokyo', hours: office, createdAt: '2026-01-01T00:00:00Z' },
];

async function exercise(target: Target) {
  const { db } = target;
  await target.migrateTo(foldersUpTo0010());
  await db.execute(sql`insert into users (id, email, handle, time_zone, locale) values
    ('u-en', 'en@example.com', 'mig-en', 'Asia/Tokyo', 'en'), ('u-ja', 'ja@example.com', 'mig-ja', 'Asia/Tokyo', 'ja'), ('u-none', 'none@example.com', 'mig-none', 'UTC', 'en')`);
  for (const p of PAGES) {
    await db.execute(sql`insert into booking_pages (id, user_id, slug, title, duration_minutes, location, time_zone, weekly_hours, date_overrides, created_at)
      values (${p.id}, ${p.user}, ${p.slug}, ${p.slug}, 60, ${JSON.stringify({ type: 'phone' })}::jsonb, ${p.zone}, ${JSON.stringify(p.hours)}::jsonb,
        ${JSON.stringify(p.overrides ?? [])}::jsonb, ${p.createdAt}::timestamptz)`);
  }
  await target.migrateTo(MIGRATIONS_FOLDER);

  const schedules = (await db.execute(sql`select id, user_id, name, time_zone, weekly_hours, date_overrides from availability_schedules order by user_id, name`)).rows as {
    id: string;
    user_id: string;
    name: string;
    time_zone: string;
    weekly_hours: WeeklyHours;
    date_overrides: unknown[];
  }[];
  const pages = (await db.execute(sql`select id, schedule_id, time_zone, weekly_hours, date_overrides from booking_pages order by id`)).rows as {
    id: string;
    schedule_id: string | null;
    time_zone: string;
    weekly_hours: WeeklyHours;
    date_overrides: unknown[];
  }[];
  // Named in the host's language, numbered by the first page that had those hours; none for a host without pages.
  expect(schedules.map((s) => [s.user_id, s.name, s.time_zone])).toEqual([
    ['u-en', 'Working hours', 'Asia/Tokyo'],
    ['u-en', 'Working hours 2', 'Asia/Tokyo'],
    ['u-en', 'Working hours 3', 'Europe/Berlin'],
    ['u-ja', '勤務時間', 'Asia/Tokyo'],
  ]);
  const byName = new Map(schedules.map((s) => [`${s.user_id}/${s.name}`, s]));
  const scheduleOf = new Map(pages.map((p) => [p.id, p.schedule_id]));
  expect(scheduleOf.get('p-a1')).toBe(byName.get('u-en/Working hours')!.id);
  expect(scheduleOf.get('p-a2')).toBe(byName.get('u-en/Working hours')!.id);
  expect(scheduleOf.get('p-a3')).toBe(byName.get('u-en/Working hours 2')!.id);
  expect(scheduleOf.get('p-a4')).toBe(byName.get('u-en/Working hours 3')!.id);
  expect(scheduleOf.get('p-j1')).toBe(byName.get('u-ja/勤務時間')!.id);
  expect(byName.get('u-en/Working hours 3')).toMatchObject({ weekly_hours: office, date_overrides: closedNewYear });

  // Every page keeps its own columns, and its slots through the app's page lookup (schedule applied) are the ones it had.
  const now = new Date('2029-12-30T00:00:00Z');
  for (const seed of PAGES) {
    const own = pages.find((p) => p.id === seed.id)!;
    expect([own.time_zone, own.weekly_hours, own.date_overrides]).toEqual([seed.zone, seed.hours, seed.overrides ?? []]);
    const found = await getPublicPage(seed.user === 'u-en' ? 'mig-en' : 'mig-ja', seed.slug, db);
    const rules = { ...found!.page, bookingWindowDays: 60, minimumNoticeMinutes: 0 };
    const before = { ...rules, timeZone: seed.zone, weeklyHours: seed.hours, dateOverrides: (seed.overrides ?? []) as typeof rules.dateOverrides };
    const query = { busy: [], pageBookingStarts: [], now, from: '2029-12-31', to: '2030-01-13', timeZone: 'UTC' };
    const after = computeSlots({ ...query, rules });
    expect(after.days.flatMap((d) => d.slots).length).toBeGreaterThan(0);
    expect(after).toEqual(computeSlots({ ...query, rules: before }));
  }
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe('migration 0011: per-page hours become shared schedules', () => {
  it('on PGlite', async () => {
    const target = await pgliteTarget();
    closers.push(target.close);
    await exercise(target);
  }, 120_000);

  it.runIf(Boolean(process.env.DATABASE_URL))('on Postgres', async () => {
    const target = await postgresTarget(process.env.DATABASE_URL!);
    closers.push(target.close);
    await exercise(target);
  }, 120_000);
});
