import { createHmac } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { E2E_AUTH_SECRET } from './session';

/** Helpers of the team pages e2e (issue 15): an organisation with a public slug and team pages, set up through the test route. */

const ALL_DAY = [{ start: '00:00', end: '24:00' }];

/** A published 30-minute Tokyo team page open every day (so slots exist whenever the test runs), with an online-meeting link. */
export function everyDayTeamPage(fields: { slug: string; title: string } & Record<string, unknown>): Record<string, unknown> {
  return {
    description: 'A 30 minute call with our team.',
    durationMinutes: 30,
    location: { type: 'link', url: 'https://meet.example.com/team-call' },
    timeZone: 'Asia/Tokyo',
    weeklyHours: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
    minimumNoticeMinutes: 60,
    bookingWindowDays: 30,
    questions: [],
    published: true,
    ...fields,
  };
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
  const body = JSON.stringify({ ...team, issuedAt: Date.now() });
  const signature = createHmac('sha256', E2E_AUTH_SECRET).update(body).digest('hex');
  const response = await page.request.post('/api/testing/team', {
    data: body,
    headers: { 'content-type': 'application/json', 'x-aki-test-signature': signature },
  });
  expect(response.status(), await response.text()).toBe(200);
}
