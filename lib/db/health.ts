import 'server-only';
import { sql } from 'drizzle-orm';
import { env } from '@/lib/env';
import { getDbHandle } from './client';

/** Answers within ~8 s (a first PGlite start creates the cluster) whether the database takes queries. */
export async function checkDatabase(): Promise<{ ok: boolean; kind: 'postgres' | 'pglite' }> {
  const kind = env().database.kind;
  try {
    const probe = (async () => {
      const handle = await getDbHandle();
      await handle.db.execute(sql`select 1`);
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), 8000);
    });
    await Promise.race([probe, timeout]).finally(() => clearTimeout(timer));
    return { ok: true, kind };
  } catch {
    return { ok: false, kind };
  }
}
