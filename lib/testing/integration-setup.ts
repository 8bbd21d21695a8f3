import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createThrowawayDatabase } from './throwaway-database';

/**
 * Integration tests run against the real database: a fresh Postgres database per test file when
 * DATABASE_URL is set, otherwise an in-memory PGlite (with btree_gist) per test file.
 * Each file also gets its own data dir (secrets, mail outbox).
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aki-test-'));
process.env.AKI_DATA_DIR = dataDir;
process.env.AKI_WORKER = '0';
// Step log lines go to stdout in the app; here only errors do (tests that look at the lines pass a sink of their own).
process.env.AKI_LOG_LEVEL ??= 'error';
process.env.AKI_RATE_LIMIT ??= '0';
process.env.SMTP_URL = '';

const baseUrl = process.env.DATABASE_URL;
let dropDatabase: (() => Promise<void>) | undefined;

if (baseUrl) {
  const database = await createThrowawayDatabase(baseUrl, 'aki_test');
  process.env.DATABASE_URL = database.url;
  dropDatabase = database.drop;
} else {
  process.env.PGLITE_DIR = 'memory://';
}

afterAll(async () => {
  const { closeDb } = await import('@/lib/db/client');
  await closeDb();
  await dropDatabase?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
