import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

/**
 * The production e2e (`npm run test:e2e:prod`, part of `npm test`): e2e-prod/stack.ts builds the
 * app into .next-prod and runs it as a self-hoster would — `npm start` with NODE_ENV=production and
 * demo off, `npm run worker` as its own process, the standalone Zoom and Google emulators, an SMTP
 * sink, Postgres — behind the non-localhost name http://aki.test:PORT, which Chromium maps to
 * 127.0.0.1. E2E_PROD_PORT picks the port (default 3121).
 */
const port = Number(process.env.E2E_PROD_PORT ?? 3121);

export default defineConfig({
  testDir: './e2e-prod',
  outputDir: './test-results/prod',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report/prod' }]],
  use: {
    baseURL: `http://aki.test:${port}`,
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(['--host-resolver-rules=MAP aki.test 127.0.0.1']),
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: 'node --import tsx e2e-prod/stack.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM first, so the stack stops its processes and drops its database.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    env: { E2E_PROD_PORT: String(port) },
  },
});
