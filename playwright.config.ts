import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';
import { E2E_AUTH_SECRET } from './e2e/helpers/session';

/**
 * e2e in a real Chromium: the system's (/usr/bin/chromium, or CHROMIUM_PATH), since browser
 * downloads are not possible everywhere. By default a production build of the app is started in
 * demo mode (emulated Zoom/Google, file outbox) on its own port and data dir; set E2E_BASE_URL to
 * run against a server you started yourself.
 */
const port = Number(process.env.E2E_PORT ?? 3111);
const baseURL = process.env.E2E_BASE_URL ?? `http://localhost:${port}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        command: `rm -rf .data/e2e && npm run build && npx next start -p ${port}`,
        url: `${baseURL}/api/health`,
        // A production build on a busy 2-core machine can take several minutes.
        timeout: 600_000,
        reuseExistingServer: false,
        stdout: 'pipe',
        stderr: 'pipe',
        env: {
          NEXT_DIST_DIR: '.next-e2e',
          AKI_DATA_DIR: '.data/e2e',
          APP_URL: baseURL,
          AKI_DEMO: '1',
          AKI_RATE_LIMIT: '0',
          // e2e/webhooks.spec.ts receives webhooks on 127.0.0.1.
          AKI_WEBHOOK_ALLOW_PRIVATE: '1',
          AUTH_SECRET: E2E_AUTH_SECRET,
          ENCRYPTION_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
        },
      },
});
