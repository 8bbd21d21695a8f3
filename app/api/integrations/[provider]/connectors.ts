import { wakeCalendarSteps, wakeZoomSteps } from '@/lib/bookings/service';
import { beginGoogleConnect, finishGoogleConnect } from '@/lib/calendar/google/service';
import { AppError } from '@/lib/errors';
import type { AuthorizationStart, OAuthProviderId } from '@/lib/oauth/flow';
import type { IntegrationOutcome } from '@/lib/oauth/outcome';
import { finishZoomLink, startZoomLink } from '@/lib/zoom/service';

/**
 * The providers behind /api/integrations/[provider]/{connect,callback}: how to start and finish a
 * connect, and which waiting booking steps a fresh link lets run now (not at the next slow retry).
 */
type Connector = {
  begin(hostId: string): Promise<AuthorizationStart>;
  finish(input: { hostId: string; params: URLSearchParams; cookie: string | undefined }): Promise<IntegrationOutcome>;
  wake(hostId: string): Promise<unknown>;
};

const CONNECTORS: Record<OAuthProviderId, Connector> = {
  zoom: { begin: startZoomLink, finish: finishZoomLink, wake: wakeZoomSteps },
  google: { begin: (hostId) => beginGoogleConnect(hostId), finish: finishGoogleConnect, wake: wakeCalendarSteps },
};

export function connectorFor(provider: string): { id: OAuthProviderId } & Connector {
  if (!Object.hasOwn(CONNECTORS, provider)) throw new AppError('not_found', 'Not found');
  const id = provider as OAuthProviderId;
  return { id, ...CONNECTORS[id] };
}
