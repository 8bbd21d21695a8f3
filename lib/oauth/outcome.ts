import type { OAuthProviderId } from './flow';

/**
 * Every outcome the settings page explains after a connect, disconnect or save of an integration,
 * with the tone of its notice. One vocabulary for all providers; each provider's messages
 * (lib/i18n/messages/*\/<provider>.json → notice.<outcome>) cover the outcomes it can reach.
 * Carried as ?zoom=… / ?google=… on the settings page. Pure data: the client notice imports it.
 */
export const INTEGRATION_OUTCOME_TONES = {
  connected: 'ok',
  saved: 'ok',
  disconnected: 'ok',
  disconnected_local: 'warn',
  denied: 'warn',
  state: 'warn',
  scope: 'warn',
  admin_approval: 'warn',
  taken: 'error',
  unreachable: 'error',
  no_refresh_token: 'error',
  revoked: 'error',
  invalid: 'error',
  not_configured: 'error',
  error: 'error',
} as const;

export type IntegrationOutcome = keyof typeof INTEGRATION_OUTCOME_TONES;

export const INTEGRATION_OUTCOMES = Object.keys(INTEGRATION_OUTCOME_TONES) as IntegrationOutcome[];

export const INTEGRATIONS_PATH = '/settings/integrations';

/** Where a connect / disconnect / save lands: the settings page with ?<provider>=<outcome>. */
export const integrationsPath = (provider: OAuthProviderId, outcome: IntegrationOutcome) => `${INTEGRATIONS_PATH}?${provider}=${outcome}`;

/** The notice texts a provider's messages define (`notice.<outcome>`), for the client notice. */
export function integrationNoticeMessages(t: { (key: string): string; has(key: string): boolean }): Partial<Record<IntegrationOutcome, string>> {
  return Object.fromEntries(INTEGRATION_OUTCOMES.filter((outcome) => t.has(`notice.${outcome}`)).map((outcome) => [outcome, t(`notice.${outcome}`)]));
}
