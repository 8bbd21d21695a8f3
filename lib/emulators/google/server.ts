import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveFetchHandler } from '../serve';
import { createGoogleEmulator, type GoogleEmulator } from './emulator';

export const DEMO_GOOGLE_CLIENT_ID = 'aki-demo-google-client';
export const DEMO_GOOGLE_CLIENT_SECRET = 'aki-demo-google-secret';

export type RunningGoogleEmulator = {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 (plus basePath when given). */
  url: string;
  emulator: GoogleEmulator;
  server: http.Server;
  close(): Promise<void>;
};

/** Starts the emulator on its own HTTP server (port 0 picks a free port): tests and `npm run emulator:google`. */
export async function startGoogleEmulator(
  options: { port?: number; host?: string; clientId?: string; clientSecret?: string; basePath?: string; redirectUris?: string[] } = {},
): Promise<RunningGoogleEmulator> {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const emulator = createGoogleEmulator({
    basePath,
    clientId: options.clientId ?? DEMO_GOOGLE_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEMO_GOOGLE_CLIENT_SECRET,
    redirectUris: options.redirectUris,
  });
  const host = options.host ?? '127.0.0.1';
  const server = await serveFetchHandler((request) => emulator.handle(request), options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${basePath}`,
    emulator,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
