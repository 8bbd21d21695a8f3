import { env } from '@/lib/env';
import { serveFetchHandler } from '../serve';
import { createZoomEmulator } from './emulator';

/**
 * Standalone Zoom emulator: `npm run emulator:zoom -- [port]` (default 4010; 0 picks a free port).
 * Uses the app's Zoom client id/secret/webhook secret from the environment (the demo defaults
 * when none are set) and delivers control-API webhooks to APP_URL/api/webhooks/zoom.
 * Point the app at it with ZOOM_OAUTH_URL=http://127.0.0.1:<port> ZOOM_API_URL=http://127.0.0.1:<port>/v2.
 */
function portFromArgs(argv: string[]): number {
  const arg = argv.find((a) => /^(--port=)?\d+$/.test(a));
  const port = arg ? Number(arg.replace('--port=', '')) : 4010;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${arg}`);
  return port;
}

const config = env();
const emulator = createZoomEmulator({
  basePath: '',
  webhookTargetUrl: `${config.appUrl}/api/webhooks/zoom`,
  webhookSecretToken: config.zoom.webhookSecretToken || 'aki-demo-zoom-webhook-secret',
  clientId: config.zoom.clientId || 'aki-demo-zoom-client',
  clientSecret: config.zoom.clientSecret || 'aki-demo-zoom-secret',
});
const server = await serveFetchHandler(emulator.handle, portFromArgs(process.argv.slice(2)));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
console.log(JSON.stringify({ emulator: 'zoom', url: `http://127.0.0.1:${port}`, oauthUrl: `http://127.0.0.1:${port}`, apiUrl: `http://127.0.0.1:${port}/v2` }));
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
