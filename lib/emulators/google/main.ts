import { EMULATOR_USAGE, parseEmulatorArgs } from '../cli';
import { DEMO_GOOGLE_CLIENT_ID, DEMO_GOOGLE_CLIENT_SECRET, startGoogleEmulator } from './server';

/**
 * Standalone Google emulator (OAuth + OpenID userinfo + Calendar v3):
 * `npm run emulator:google -- --port 4320 --client-id … --client-secret …` (every flag optional; the
 * demo credentials by default). It takes the same flags as the Zoom emulator; Google delivers no
 * webhooks to Aki, so --webhook-secret / --webhook-url are accepted and unused. No lib/env here.
 * Point Aki at it with GOOGLE_CLIENT_ID/SECRET and GOOGLE_OAUTH_URL = GOOGLE_TOKEN_URL = GOOGLE_API_URL = the printed URL.
 */
let cli: ReturnType<typeof parseEmulatorArgs>;
try {
  cli = parseEmulatorArgs(process.argv.slice(2), {
    port: 4320,
    clientId: DEMO_GOOGLE_CLIENT_ID,
    clientSecret: DEMO_GOOGLE_CLIENT_SECRET,
    webhookSecret: '',
  });
} catch (error) {
  console.error(`${(error as Error).message}\n${EMULATOR_USAGE}`);
  process.exit(2);
}

const running = await startGoogleEmulator({
  port: cli.port,
  host: cli.host,
  clientId: cli.clientId,
  clientSecret: cli.clientSecret,
  ...(cli.redirectUris.length > 0 ? { redirectUris: cli.redirectUris } : {}),
});
console.log(
  JSON.stringify({
    emulator: 'google',
    url: running.url,
    env: { GOOGLE_OAUTH_URL: running.url, GOOGLE_TOKEN_URL: running.url, GOOGLE_API_URL: running.url, GOOGLE_CLIENT_ID: cli.clientId },
  }),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.close().finally(() => process.exit(0));
  });
}
