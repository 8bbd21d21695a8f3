import { defineConfig } from 'drizzle-kit';

// Only `generate` uses this file: migrations are applied by lib/db/migrate.ts on both drivers.
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema/*.ts',
  out: './drizzle',
  casing: 'snake_case',
});
