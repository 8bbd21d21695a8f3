/**
 * Waits until `check` holds (a truthy value), polling every `intervalMs`, and returns that value;
 * fails with `what` after `timeoutMs`. Tests wait for the condition they care about instead of a
 * wall-clock sleep: fast when the system is fast, patient when the machine is loaded.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<NonNullable<T>> {
  const { what, timeoutMs = 10_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Counts the requests a fetch-style handler is still working on, so a test can "settle": wait until
 * a fake service has answered everything it was sent (e.g. a create the client gave up on but the
 * service still finishes after an injected delay).
 */
export function trackInFlight(handler: (request: Request) => Promise<Response>) {
  let inFlight = 0;
  return {
    handle: async (request: Request) => {
      inFlight++;
      try {
        return await handler(request);
      } finally {
        inFlight--;
      }
    },
    settle: (timeoutMs = 10_000) => waitFor(() => inFlight === 0, { what: 'the emulator to answer every request in flight', timeoutMs }),
  };
}
