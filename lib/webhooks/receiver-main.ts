import http from 'node:http';
import { parseArgs } from 'node:util';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * `npm run webhooks:receive -- --secret whsec_… [--port 4400] [--host 127.0.0.1]`: a tiny receiver for
 * trying Aki's outgoing webhooks. Verifies every request with the Standard Webhooks library (signature
 * and a timestamp within 5 minutes) and prints one line per delivery: its webhook-id, event type and
 * whether it verified (or why not). Answers 204, or 401 when the signature does not verify. With
 * `--verbose` it prints the body too.
 */

const MAX_BODY_BYTES = 1024 * 1024;

function main(): void {
  const { values } = parseArgs({
    options: {
      secret: { type: 'string' },
      port: { type: 'string', default: '4400' },
      host: { type: 'string', default: '127.0.0.1' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const secret = values.secret ?? process.env.AKI_WEBHOOK_SECRET;
  if (!secret?.startsWith('whsec_')) {
    console.error('Usage: npm run webhooks:receive -- --secret whsec_… [--port 4400] [--host 127.0.0.1] [--verbose]\n(the secret Aki showed when the webhook was created; or set AKI_WEBHOOK_SECRET)');
    process.exit(2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port must be a port number, not ${values.port}`);
    process.exit(2);
  }
  const webhook = new Webhook(secret);

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        response.writeHead(413).end();
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const id = header('webhook-id') ?? '-';
      let type = '-';
      try {
        type = String((JSON.parse(body) as { type?: unknown }).type ?? '-');
      } catch {
        type = '(not JSON)';
      }
      const time = new Date().toISOString();
      try {
        webhook.verify(body, {
          'webhook-id': header('webhook-id') ?? '',
          'webhook-timestamp': header('webhook-timestamp') ?? '',
          'webhook-signature': header('webhook-signature') ?? '',
        });
        console.log(`${time} ${id} ${type} verified`);
        if (values.verbose) console.log(body);
        response.writeHead(204).end();
      } catch (error) {
        const why = error instanceof WebhookVerificationError ? error.message : error instanceof Error ? error.message : String(error);
        console.log(`${time} ${id} ${type} NOT verified: ${why}`);
        response.writeHead(401, { 'content-type': 'text/plain' }).end(`not verified: ${why}\n`);
      }
    });
  });
  server.listen(port, values.host, () => {
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    console.log(`Listening on http://${values.host}:${bound}/ — point a webhook at it (AKI_WEBHOOK_ALLOW_PRIVATE=1 for a receiver on this machine).`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main();
