import { closeDb, getDbHandle } from './client';

// `npm run db:migrate`: opening the database applies every pending migration.
const handle = await getDbHandle();
console.log(`Migrations applied (${handle.kind}).`);
await closeDb();
