import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { type IsoDate, monthBounds, type YearMonth } from './calendar-grid';
import { type SlotsTarget, targetPath } from './target';

export { type SlotsTarget, targetOfBookingPage, targetPath } from './target';

/** GET /api/public/pages/{host}/{page}/slots or /api/public/teams/{org}/{page}/slots (docs/api.md): the same answer. */
export type SlotsResponse = {
  timeZone: string;
  durationMinutes: number;
  days: { date: IsoDate; slots: string[] }[];
};

export class SlotsError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
  ) {
    super(code);
    this.name = 'SlotsError';
  }
}

/**
 * Someone moving a booking: its own time and buffers do not block the slots offered instead. The guest
 * proves it is theirs with the manage token; the host (`asHost`) with their session, via /bookings/{uid}/slots.
 */
export type RescheduleOf = { uid: string; token: string } | { uid: string; asHost: true };

function slotsUrl(target: SlotsTarget, params: URLSearchParams, reschedule?: RescheduleOf): string {
  if (reschedule && 'asHost' in reschedule) return `/bookings/${encodeURIComponent(reschedule.uid)}/slots?${params}`;
  if (reschedule) params.set('reschedule', reschedule.uid);
  if (target.kind === 'team') return `/api/public/teams/${encodeURIComponent(target.org)}/${encodeURIComponent(target.slug)}/slots?${params}`;
  return `/api/public/pages/${encodeURIComponent(target.handle)}/${encodeURIComponent(target.slug)}/slots?${params}`;
}

export async function fetchSlots(target: SlotsTarget, from: IsoDate, to: IsoDate, timeZone: string, signal?: AbortSignal, reschedule?: RescheduleOf) {
  const params = new URLSearchParams({ from, to, timeZone });
  const response = await fetch(slotsUrl(target, params, reschedule), {
    signal,
    headers: { accept: 'application/json', ...(reschedule && 'token' in reschedule ? { 'x-manage-token': reschedule.token } : {}) },
    cache: 'no-store',
  });
  if (!response.ok) {
    let code = 'internal';
    try {
      const body = (await response.json()) as { error?: { code?: string } };
      code = body.error?.code ?? code;
    } catch {
      // not JSON: keep the generic code
    }
    throw new SlotsError(response.status, code);
  }
  return (await response.json()) as SlotsResponse;
}

export const slotsKey = (target: SlotsTarget) => ['slots', targetPath(target)] as const;

export function monthSlotsQuery(target: SlotsTarget, month: YearMonth, timeZone: string, reschedule?: RescheduleOf) {
  const { from, to } = monthBounds(month);
  return rangeSlotsQuery(target, from, to, timeZone, reschedule);
}

export function rangeSlotsQuery(target: SlotsTarget, from: IsoDate, to: IsoDate, timeZone: string, reschedule?: RescheduleOf) {
  return queryOptions({
    queryKey: [...slotsKey(target), from, to, timeZone, reschedule?.uid ?? null],
    queryFn: ({ signal }) => fetchSlots(target, from, to, timeZone, signal, reschedule),
    staleTime: 30_000,
    refetchOnWindowFocus: true,
    retry: (count, error) => !(error instanceof SlotsError && error.status < 500) && count < 2,
  });
}

/** Marks every cached slot list of a page stale and refetches the visible ones (after a 409). */
export const invalidateSlots = (client: QueryClient, target: SlotsTarget) => client.invalidateQueries({ queryKey: slotsKey(target) });

/** date → slots, for quick lookups in the calendar. */
export function slotsByDate(data: SlotsResponse | undefined): Map<IsoDate, string[]> {
  const map = new Map<IsoDate, string[]>();
  for (const day of data?.days ?? []) map.set(day.date, day.slots);
  return map;
}
