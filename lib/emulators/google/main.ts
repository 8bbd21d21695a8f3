import { parseArgs } from 'node:util';
import { DEMO_GOOGLE_CLIENT_ID, DEMO_GOOGLE_CLIENT_SECRET, startGoogleEmulator } from './server';

/**
 * `npm run emulator:google -- [port] [--client-id id] [--client-secret secret] [--host 127.0.0.1]`
 * Point Aki at it with GOOGLE_CLIENT_ID/SECRET and GOOGLE_OAUTH_URL = GOOGLE_TOKEN_URL = GOOGLE_API_URL = the printed URL.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
  },
});

const port = Number(values.port ?? positionals[0] ?? 4320);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${values.port ?? positionals[0]}`);
  process.exit(2);
}

const running = await startGoogleEmulator({
  port,
  host: values.host,
  clientId: values['client-id'] ?? DEMO_GOOGLE_CLIENT_ID,
  clientSecret: values['client-secret'] ?? DEMO_GOOGLE_CLIENT_SECRET,
});
console.log(JSON.stringify({ emulator: 'google', url: running.url, clientId: values['client-id'] ?? DEMO_GOOGLE_CLIENT_ID }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.close().finally(() => process.exit(0));
  });
}
