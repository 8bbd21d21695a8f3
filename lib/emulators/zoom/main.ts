import type { AddressInfo } from 'node:net';
import { EMULATOR_USAGE, parseEmulatorArgs } from '../cli';
import { serveFetchHandler } from '../serve';
import { createZoomEmulator } from './emulator';
import { DEMO_ACCOUNT_ID, DEMO_S2S_CLIENT_ID, DEMO_S2S_CLIENT_SECRET } from './state';

/**
 * Standalone Zoom emulator: `npm run emulator:zoom -- --port 4010 --client-id … --client-secret …
 * --webhook-secret … --webhook-url http://127.0.0.1:3000/api/webhooks/zoom` (every flag optional; the
 * demo credentials by default). Independent of the app's environment and data dir: no lib/env here.
 * Point Aki at it with ZOOM_OAUTH_URL=<url> ZOOM_API_URL=<url>/v2 and the same id/secret/webhook secret.
 */
let cli: ReturnType<typeof parseEmulatorArgs>;
try {
  cli = parseEmulatorArgs(process.argv.slice(2), {
    port: 4010,
    clientId: 'aki-demo-zoom-client',
    clientSecret: 'aki-demo-zoom-secret',
    webhookSecret: 'aki-demo-zoom-webhook-secret',
  });
} catch (error) {
  console.error(`${(error as Error).message}\n${EMULATOR_USAGE}`);
  process.exit(2);
}
const emulator = createZoomEmulator({
  basePath: '',
  webhookTargetUrl: cli.webhookUrl ?? undefined,
  webhookSecretToken: cli.webhookSecret,
  clientId: cli.clientId,
  clientSecret: cli.clientSecret,
  ...(cli.redirectUris.length > 0 ? { redirectUris: cli.redirectUris } : {}),
});
const server = await serveFetchHandler(emulator.handle, cli.port, cli.host);
const url = `http://${cli.host}:${(server.address() as AddressInfo).port}`;
console.log(
  JSON.stringify({
    emulator: 'zoom',
    url,
    env: { ZOOM_OAUTH_URL: url, ZOOM_API_URL: `${url}/v2`, ZOOM_CLIENT_ID: cli.clientId },
    webhookUrl: cli.webhookUrl,
    // The organisation mode's demo account (Server-to-Server app), for AKI_ORG_NAME + ZOOM_S2S_*.
    s2sDemo: { ZOOM_S2S_ACCOUNT_ID: DEMO_ACCOUNT_ID, ZOOM_S2S_CLIENT_ID: DEMO_S2S_CLIENT_ID, ZOOM_S2S_CLIENT_SECRET: DEMO_S2S_CLIENT_SECRET },
  }),
);
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
