import 'server-only';
import { checkDatabase } from '@/lib/db/health';
import type { WorkerStatus } from './effects/heartbeat';
import { getWorkerStatus } from './queries';

const WORKER_CHECK_TIMEOUT_MS = 5_000;

export type HealthBody =
  | {
      ok: true;
      database: 'postgres' | 'pglite';
      /** null when the worker state could not be read in time. */
      worker: Pick<WorkerStatus, 'lastSeenAt' | 'workers' | 'pendingSteps' | 'oldestPendingAgeSeconds'> | null;
      /** What works but not as it should; "worker": no live worker, or due steps waiting over 5 minutes. */
      degraded: 'worker'[];
    }
  | { ok: false; database: 'postgres' | 'pglite'; error: 'database_unreachable' };

/**
 * GET /api/health: 200 while the database answers (a late or absent worker is "degraded", not down:
 * bookings are still taken and kept), 503 when it does not.
 */
export async function healthReport(now?: Date): Promise<{ status: 200 | 503; body: HealthBody }> {
  const db = await checkDatabase();
  if (!db.ok) return { status: 503, body: { ok: false, database: db.kind, error: 'database_unreachable' } };
  let timer: NodeJS.Timeout | undefined;
  const status = await Promise.race([
    getWorkerStatus(now),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), WORKER_CHECK_TIMEOUT_MS);
    }),
  ])
    .catch(() => null)
    .finally(() => clearTimeout(timer));
  const worker = status
    ? { lastSeenAt: status.lastSeenAt, workers: status.workers, pendingSteps: status.pendingSteps, oldestPendingAgeSeconds: status.oldestPendingAgeSeconds }
    : null;
  return { status: 200, body: { ok: true, database: db.kind, worker, degraded: !status || status.degraded ? ['worker'] : [] } };
}
