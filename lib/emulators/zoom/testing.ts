import type http from 'node:http';
import { serveFetchHandler } from '../serve';
import { createZoomEmulator, type ZoomEmulator, type ZoomEmulatorOptions } from './emulator';

/** For tests: a standalone emulator on a free port (real HTTP). */
export async function startZoomEmulator(
  options: Partial<ZoomEmulatorOptions> = {},
): Promise<{ emulator: ZoomEmulator; url: string; server: http.Server; close: () => Promise<void> }> {
  const emulator = createZoomEmulator({
    webhookSecretToken: 'test-webhook-secret',
    clientId: 'test-client-id',
    clientSecret: 'test-client-secret',
    ...options,
  });
  const server = await serveFetchHandler(emulator.handle, 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    emulator,
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
