import { env } from '@/lib/env';
import { processSingleton } from '@/lib/process-singletons';
import { persistEmulatorState } from '../persist';
import { createGoogleEmulator, type GoogleEmulator } from './emulator';
import { DEMO_GOOGLE_CLIENT_ID, DEMO_GOOGLE_CLIENT_SECRET } from './server';

/** Where the app mounts the emulator in demo mode (app/api/emulators/google/[...path]). */
export const GOOGLE_EMULATOR_MOUNT = '/api/emulators/google';

/** The one in-app Google emulator of this process (a process singleton, so dev reloads keep its state). */
export function getAppGoogleEmulator(): GoogleEmulator {
  return processSingleton('emulators:google', () => {
    const { google, appUrl } = env();
    return persistEmulatorState(
      'google',
      createGoogleEmulator({
        basePath: GOOGLE_EMULATOR_MOUNT,
        clientId: google.emulated ? google.clientId : DEMO_GOOGLE_CLIENT_ID,
        clientSecret: google.emulated ? google.clientSecret : DEMO_GOOGLE_CLIENT_SECRET,
        redirectUris: [`${appUrl}/api/integrations/google/callback`, `${appUrl}/api/auth/callback/google`],
        // The id_token's iss is the base URL the app is given (GOOGLE_OAUTH_URL), not Next's internal request URL.
        issuer: `${appUrl}${GOOGLE_EMULATOR_MOUNT}`,
      }),
    );
  });
}
