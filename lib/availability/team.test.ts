import { describe, expect, it } from 'vitest';
import { type Busy, computeSlots, isSlotOpen, type PageRules, type WeeklyHours } from './engine';
import { type AssignmentRecord, combineMemberSlots, fairnessOrder } from './team';

/** Team availability against a brute-force oracle, and round-robin fairness over many bookings. */

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const ZONES = ['Asia/Tokyo', 'America/New_York', 'Asia/Kolkata', 'Europe/London'];
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function randomMember(next: () => number, now: Date): { rules: PageRules; busy: Busy[] } {
  const weeklyHours = Object.fromEntries(
    DAYS.map((day) => {
      if (next() < 0.3) return [day, []];
      const start = Math.floor(next() * 40) * 15;
      const end = Math.min(24 * 60, start + (4 + Math.floor(next() * 24)) * 15);
      return [day, [{ start: hhmm(start), end: hhmm(end) }]];
    }),
  ) as WeeklyHours;
  const busy: Busy[] = Array.from({ length: Math.floor(next() * 6) }, () => {
    const start = now.getTime() + Math.floor(next() * 7 * 96) * 15 * 60_000;
    return { start: new Date(start), end: new Date(start + (1 + Math.floor(next() * 8)) * 15 * 60_000) };
  });
  const rules: PageRules = {
    timeZone: ZONES[Math.floor(next() * ZONES.length)]!,
    weeklyHours,
    dateOverrides: [],
    durationMinutes: 30,
    slotIntervalMinutes: 15,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingWindowDays: 30,
    maxBookingsPerDay: null,
  };
  return { rules, busy };
}

describe('team slots = union (round-robin) / intersection (collective) of the members’ slots', () => {
  it('agrees with a brute-force check of every 15-minute instant, over random member schedules', () => {
    const now = new Date('2026-03-02T00:00:00Z');
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const members = Array.from({ length: 1 + Math.floor(next() * 4) }, () => randomMember(next, now));
      const query = { pageBookingStarts: [], now, from: '2026-03-03', to: '2026-03-08', timeZone: 'America/New_York' };
      const perMember = members.map((m) => computeSlots({ ...query, rules: m.rules, busy: m.busy }));
      const union = combineMemberSlots('round_robin', perMember, perMember[0]!);
      const intersection = combineMemberSlots('collective', perMember, perMember[0]!);
      const flat = (r: typeof union) => r.days.flatMap((d) => d.slots);

      const expectedUnion: string[] = [];
      const expectedIntersection: string[] = [];
      // Every instant of the viewer's dates, on the 15-minute grid all members share here (New York
      // moves to summer time on 8 March: that day ends at 04:00 UTC).
      for (let t = Date.parse('2026-03-03T00:00:00-05:00'); t < Date.parse('2026-03-09T00:00:00-04:00'); t += 15 * 60_000) {
        const open = members.map((m) => isSlotOpen({ rules: m.rules, busy: m.busy, pageBookingStarts: [], now, start: new Date(t) }));
        const iso = new Date(t).toISOString();
        if (open.some(Boolean)) expectedUnion.push(iso);
        if (open.every(Boolean)) expectedIntersection.push(iso);
      }
      expect(flat(union), `seed ${seed}`).toEqual(expectedUnion);
      expect(flat(intersection), `seed ${seed}`).toEqual(expectedIntersection);
      expect(union.days.map((d) => d.date)).toEqual(perMember[0]!.days.map((d) => d.date));
    }
  });

  it('a team without members offers nothing', () => {
    const fallback = { timeZone: 'UTC', durationMinutes: 30, days: [{ date: '2026-03-03', slots: ['2026-03-03T09:00:00.000Z'] }] };
    expect(combineMemberSlots('round_robin', [], fallback).days).toEqual([{ date: '2026-03-03', slots: [] }]);
  });
});

describe('round-robin fairness', () => {
  /** Simulates bookings: each goes to the first member of the fairness order who is free (random availability). */
  function simulate(weights: number[], bookings: number, freeProbability: number, seed: number) {
    const next = random(seed);
    const records: AssignmentRecord[] = weights.map((weight, position) => ({ userId: `m${position}`, count: 0, lastAssignedAt: null, weight, position }));
    for (let i = 0; i < bookings; i++) {
      const free = new Set(records.filter(() => next() < freeProbability).map((r) => r.userId));
      const chosen = fairnessOrder(records).find((id) => free.has(id));
      if (!chosen) continue;
      const record = records.find((r) => r.userId === chosen)!;
      record.count++;
      record.lastAssignedAt = new Date(1_000_000 + i);
    }
    return records;
  }

  it('over 1,000 bookings with everyone always free, equal members differ by at most one booking', () => {
    const records = simulate([1, 1, 1, 1, 1], 1000, 1, 7);
    const counts = records.map((r) => r.count);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('over 1,000 bookings with members free 60% of the time, each member’s share is within 5 points of equal', () => {
    const records = simulate([1, 1, 1, 1], 1000, 0.6, 11);
    const total = records.reduce((sum, r) => sum + r.count, 0);
    for (const r of records) expect(Math.abs(r.count / total - 0.25)).toBeLessThan(0.05);
  });

  it('weights share bookings in proportion (2 : 1 : 1 → 50 % : 25 % : 25 %, within 2 points)', () => {
    const records = simulate([2, 1, 1], 1000, 1, 3);
    const total = records.reduce((sum, r) => sum + r.count, 0);
    expect(Math.abs(records[0]!.count / total - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(records[1]!.count / total - 0.25)).toBeLessThan(0.02);
  });

  it('ties go to the member waiting longest since their last booking, then to display order', () => {
    const at = (iso: string) => new Date(iso);
    const order = fairnessOrder([
      { userId: 'a', count: 1, lastAssignedAt: at('2026-03-02T10:00:00Z'), weight: 1, position: 0 },
      { userId: 'b', count: 1, lastAssignedAt: at('2026-03-01T10:00:00Z'), weight: 1, position: 1 },
      { userId: 'c', count: 0, lastAssignedAt: null, weight: 1, position: 3 },
      { userId: 'd', count: 0, lastAssignedAt: null, weight: 1, position: 2 },
    ]);
    expect(order).toEqual(['d', 'c', 'b', 'a']);
  });
});
