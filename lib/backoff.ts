/** Exponential backoff with jitter: base·2^(attempt−1), capped, times a random factor in [0.75, 1.25). Booking steps and the mail outbox retry with it. */
export function backoffMs(attempt: number, baseMs = 5_000, capMs = 30 * 60_000, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.75 + random() * 0.5));
}
