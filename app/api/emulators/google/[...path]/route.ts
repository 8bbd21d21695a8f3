import { createGoogleEmulator, type GoogleEmulator } from '@/lib/emulators/google/emulator';
import { DEMO_GOOGLE_CLIENT_ID, DEMO_GOOGLE_CLIENT_SECRET } from '@/lib/emulators/google/server';
import { persistEmulatorState } from '@/lib/emulators/persist';
import { env } from '@/lib/env';

/** The Google emulator inside the app, only in demo mode (404 otherwise). One instance per process. */
const store = globalThis as unknown as { __akiGoogleEmulator?: GoogleEmulator };

function emulator(): GoogleEmulator {
  const { google, appUrl } = env();
  store.__akiGoogleEmulator ??= persistEmulatorState(
    'google',
    createGoogleEmulator({
    basePath: '/api/emulators/google',
    clientId: google.emulated ? google.clientId : DEMO_GOOGLE_CLIENT_ID,
    clientSecret: google.emulated ? google.clientSecret : DEMO_GOOGLE_CLIENT_SECRET,
      redirectUris: [`${appUrl}/api/integrations/google/callback`, `${appUrl}/api/auth/callback/google`],
      // The id_token's iss is the base URL the app is given (GOOGLE_OAUTH_URL), not Next's internal request URL.
      issuer: `${appUrl}/api/emulators/google`,
    }),
  );
  return store.__akiGoogleEmulator;
}

export const dynamic = 'force-dynamic';

async function handle(request: Request): Promise<Response> {
  if (!env().demo) return new Response('Not Found', { status: 404 });
  return emulator().handle(request);
}

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
