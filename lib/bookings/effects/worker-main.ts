import { closeDb, getDbHandle } from '@/lib/db/client';
import { env } from '@/lib/env';
import { defaultLog } from '@/lib/log';
import { startWorker } from './worker';

/**
 * `npm run worker`: a standalone booking-steps worker. Needs DATABASE_URL (Postgres): an embedded
 * PGlite directory can only be opened by one process, which is the web server (its in-process worker
 * already runs the steps).
 */
async function main(): Promise<void> {
  if (env().database.kind !== 'postgres') {
    console.error('npm run worker needs DATABASE_URL (Postgres). With the embedded database the worker runs inside `npm run dev` / `npm start`.');
    process.exit(1);
  }
  await getDbHandle();
  // Logs one JSON line per step on stdout (README "Logs"); "worker started" / "worker stopped" frame them.
  const worker = startWorker({ role: 'standalone', concurrency: 16 });
  const stop = async (signal: string) => {
    defaultLog({ level: 'info', msg: 'worker stopping', signal, pid: process.pid });
    await worker.stop();
    await closeDb();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
