/** Which page a picker, a confirmation or a manage page belongs to (no client code: server pages use it too). */

/** Whose slots a picker shows: a host's personal page (/{handle}/{slug}) or a team page (/team/{org}/{slug}). */
export type SlotsTarget = { kind: 'host'; handle: string; slug: string } | { kind: 'team'; org: string; slug: string };

/** The page a booking was made on (its view's `page`), as a picker target. */
export const targetOfBookingPage = (page: { handle: string; slug: string; team: string | null }): SlotsTarget =>
  page.team ? { kind: 'team', org: page.team, slug: page.slug } : { kind: 'host', handle: page.handle, slug: page.slug };

/** The public path of the target's page, without a leading slash (also its slot lists' cache key). */
export const targetPath = (target: SlotsTarget): string =>
  target.kind === 'team'
    ? `team/${encodeURIComponent(target.org)}/${encodeURIComponent(target.slug)}`
    : `${encodeURIComponent(target.handle)}/${encodeURIComponent(target.slug)}`;
