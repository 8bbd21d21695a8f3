import { parseArgs } from 'node:util';

/**
 * The command line shared by the standalone emulators (`npm run emulator:zoom|google -- …`). They
 * read nothing from the app's environment or data dir: everything they need comes from these flags,
 * so they run the same next to a development checkout or a production install.
 */
export type EmulatorCli = {
  port: number;
  host: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  /** Where webhooks go (Zoom: the app's /api/webhooks/zoom); null when not given. */
  webhookUrl: string | null;
  /** The OAuth app's allowed redirect URIs; empty = any http(s) URI is accepted. */
  redirectUris: string[];
};

export const EMULATOR_USAGE = `Flags (all optional):
  --port <n>               port to listen on (0 picks a free one)
  --host <addr>            address to bind (default 127.0.0.1)
  --client-id <id>         the OAuth client id Aki uses (GOOGLE_/ZOOM_CLIENT_ID)
  --client-secret <s>      its secret (GOOGLE_/ZOOM_CLIENT_SECRET)
  --webhook-secret <s>     the webhook secret token (ZOOM_WEBHOOK_SECRET_TOKEN)
  --webhook-url <url>      where webhooks are delivered, e.g. http://127.0.0.1:3000/api/webhooks/zoom
  --redirect-uri <url>     an allowed OAuth redirect URI (repeatable; default: any)`;

export function parseEmulatorArgs(
  argv: string[],
  defaults: { port: number; clientId: string; clientSecret: string; webhookSecret: string },
): EmulatorCli {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'webhook-url': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(EMULATOR_USAGE);
    process.exit(0);
  }
  // A bare number is the port (the older `npm run emulator:zoom -- 4010` form).
  const rawPort = values.port ?? positionals[0];
  const port = rawPort === undefined ? defaults.port : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${rawPort}`);
  const webhookUrl = values['webhook-url'] ?? null;
  for (const url of [webhookUrl, ...(values['redirect-uri'] ?? [])]) {
    if (url !== null && !URL.canParse(url)) throw new Error(`Not a URL: ${url}`);
  }
  return {
    port,
    host: values.host ?? '127.0.0.1',
    clientId: values['client-id'] ?? defaults.clientId,
    clientSecret: values['client-secret'] ?? defaults.clientSecret,
    webhookSecret: values['webhook-secret'] ?? defaults.webhookSecret,
    webhookUrl,
    redirectUris: values['redirect-uri'] ?? [],
  };
}
