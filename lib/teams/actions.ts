'use server';

import { confirmationPath } from '@/lib/bookings/manage-token';
import { guestConfirmRequest } from '@/lib/bookings/service';
import { type CreateTeamBookingInput, createTeamBooking, type PublicTeamBooking } from './booking';
import { createTeamPage, deleteTeamPage, setTeamSlug, teamSettingsSchema, updateTeamPage } from './mutations';
import { reassignTeamBooking } from './reassign';
import { type ActionResult, runAction } from '@/lib/actions';
import { requireHost } from '@/lib/auth/session';
import { bookingPageInputSchema } from '@/lib/booking-pages/schema';
import { AppError } from '@/lib/errors';
import { clientIp, fieldErrors } from '@/lib/http';
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';

/**
 * The guest's Confirm on a team page (/team/{org}/{page}): lib/bookings/actions.ts confirmBookingAction
 * for a team page. The service validates; the answer names who the guest meets (`booking.hosts`).
 */

/** What the guest page sends: every field of a team booking request except the caller's address (read here). */
export type ConfirmTeamInput = Required<Omit<CreateTeamBookingInput, 'clientKey'>>;

export async function confirmTeamBookingAction(input: ConfirmTeamInput): Promise<ActionResult<{ booking: PublicTeamBooking; next: string }>> {
  return runAction('confirmTeamBookingAction', async () => {
    // The per-client rate limit reads the address the way the API routes do (lib/http.ts clientIp).
    const request = guestConfirmRequest(input, clientIp(await headers()));
    const booking = await createTeamBooking({ orgSlug: String(input.orgSlug), slug: String(input.slug), ...request });
    return { booking, next: confirmationPath(`/team/${encodeURIComponent(input.orgSlug)}/${encodeURIComponent(input.slug)}`, booking) };
  });
}

/**
 * Server actions of the organisation's public address and its team page editor. Each one re-reads
 * the signed-in host; the mutation checks the role (owner/admin) and that the page is the
 * organisation's (another organisation's page is not_found). Failures come back as an ActionResult:
 * `invalid_input` with `fields` — the page's own (as the personal editor: "slug", "title", …) and the
 * team part's ("kind", "members", "members.0.weight").
 */

const PAGE = '/organisation';

export async function setTeamSlugAction(input: { slug: string }): Promise<ActionResult<{ slug: string }>> {
  return runAction('setTeamSlug', async () => {
    const host = await requireHost();
    const result = await setTeamSlug(host.id, typeof input?.slug === 'string' ? input.slug : '');
    revalidatePath(PAGE);
    return result;
  });
}

/** Creates (pageId null) or replaces a team page; both halves are validated together so every field error shows at once. */
export async function saveTeamPageAction(pageId: string | null, values: unknown, team: unknown): Promise<ActionResult<{ pageId: string; slug: string }>> {
  return runAction('saveTeamPage', async () => {
    const host = await requireHost();
    const page = bookingPageInputSchema.safeParse(values);
    const settings = teamSettingsSchema.safeParse(team);
    if (!page.success || !settings.success) {
      const fields = { ...(page.success ? {} : fieldErrors(page.error)), ...(settings.success ? {} : fieldErrors(settings.error)) };
      throw new AppError('invalid_input', 'Please check the highlighted fields', { fields });
    }
    let id: string;
    if (pageId) {
      id = String(pageId);
      await updateTeamPage(host.id, id, page.data, settings.data);
    } else {
      id = (await createTeamPage(host.id, page.data, settings.data)).id;
    }
    revalidatePath(PAGE);
    revalidatePath(`${PAGE}/team-pages/${id}`);
    return { pageId: id, slug: page.data.slug };
  });
}

export async function deleteTeamPageAction(pageId: string): Promise<ActionResult> {
  return runAction('deleteTeamPage', async () => {
    const host = await requireHost();
    await deleteTeamPage(host.id, String(pageId));
    revalidatePath(PAGE);
    return null;
  });
}

/** An owner or admin gives an upcoming round-robin booking of a team page to another member (lib/teams/reassign.ts). */
export async function reassignTeamBookingAction(uid: string, toUserId: string): Promise<ActionResult> {
  return runAction('reassignTeamBooking', async () => {
    const host = await requireHost();
    await reassignTeamBooking(host.id, String(uid), String(toUserId));
    revalidatePath(`${PAGE}/team-pages`, 'layout');
    return null;
  });
}
