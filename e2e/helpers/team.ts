import type { Page } from '@playwright/test';
import { everyDayZoomPage } from './guest';
import { postSignedTestRequest } from './session';

/** Helpers of the team pages e2e (issue 15): an organisation with a public slug and team pages, set up through the test route. */

/** A published 30-minute Tokyo team page open every day (so slots exist whenever the test runs), with an online-meeting link. */
export function everyDayTeamPage(fields: { slug: string; title: string } & Record<string, unknown>): Record<string, unknown> {
  return everyDayZoomPage({ description: 'A 30 minute call with our team.', location: { type: 'link', url: 'https://meet.example.com/team-call' }, ...fields });
}

/** A unique organisation slug (3–32 lowercase characters). */
export function uniqueTeamSlug(prefix = 'team'): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * An organisation owned by the first host (the others join as members), with `slug` as its public
 * address and the given team pages of all of them: app/api/testing/team (demo mode, signed with AUTH_SECRET).
 */
export async function createTeam(
  page: Page,
  team: { hostEmails: string[]; name: string; slug: string; pages: { kind: 'round_robin' | 'collective'; page: Record<string, unknown> }[] },
): Promise<void> {
  await postSignedTestRequest(page, '/api/testing/team', team);
}
