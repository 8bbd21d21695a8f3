import type { SlotsResult } from './engine';

/**
 * Team pages (lib/teams) reuse the one engine: each member's slots are computed by `computeSlots` with
 * their own rules and busy times, then combined here — a round-robin page offers a slot when at least
 * one member has it (union), a collective page only when every member has it (intersection). Pure.
 */

export type TeamKindOfSlots = 'round_robin' | 'collective';

/** Combines the members' answers for the same range and viewer zone (every answer lists the same dates). */
export function combineMemberSlots(kind: TeamKindOfSlots, members: readonly SlotsResult[], fallback: SlotsResult): SlotsResult {
  const first = members[0];
  if (!first) return { ...fallback, days: fallback.days.map((d) => ({ date: d.date, slots: [] })) };
  const days = first.days.map((day, i) => {
    const lists = members.map((m) => m.days[i]?.slots ?? []);
    return { date: day.date, slots: kind === 'collective' ? intersect(lists) : union(lists) };
  });
  return { timeZone: first.timeZone, durationMinutes: first.durationMinutes, days };
}

/** Sorted ISO strings of one format compare as instants: a k-way merge without duplicates. */
function union(lists: readonly (readonly string[])[]): string[] {
  if (lists.length === 1) return [...lists[0]!];
  const seen = new Set<string>();
  for (const list of lists) for (const slot of list) seen.add(slot);
  return [...seen].sort();
}

function intersect(lists: readonly (readonly string[])[]): string[] {
  const [smallest, ...rest] = [...lists].sort((a, b) => a.length - b.length);
  if (!smallest) return [];
  const others = rest.map((list) => new Set(list));
  return smallest.filter((slot) => others.every((set) => set.has(slot)));
}

/** A round-robin candidate's record on the page, over the fairness window. */
export type AssignmentRecord = {
  userId: string;
  /** Bookings of this page assigned to them in the window (confirmed). */
  count: number;
  /** When they were last assigned a booking of this page (null: never). */
  lastAssignedAt: Date | null;
  /** Relative share: a member with weight 2 gets about twice the bookings of one with weight 1. */
  weight: number;
  /** Display order, the last tie-break (stable answers). */
  position: number;
};

/**
 * Round-robin order (Cal.com's "least recently booked" with weights): fewest bookings relative to the
 * member's weight first, then the one waiting longest since their last assignment (never assigned
 * first), then display order. The booking takes the first member of this order who is free.
 */
export function fairnessOrder(records: readonly AssignmentRecord[]): string[] {
  return [...records]
    .sort((a, b) => {
      const load = a.count / Math.max(a.weight, 1) - b.count / Math.max(b.weight, 1);
      if (load !== 0) return load;
      const at = (r: AssignmentRecord) => r.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
      if (at(a) !== at(b)) return at(a) < at(b) ? -1 : 1;
      return a.position - b.position;
    })
    .map((r) => r.userId);
}

/** How far back round-robin counts assignments: recent fairness, so a new member is not flooded to catch up on years. */
export const FAIRNESS_WINDOW_DAYS = 30;
