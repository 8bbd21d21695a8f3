import { type ApiContext, requireScope, SCOPES } from './oauth';
import { apiError, HttpError, isoSeconds, origin, rateHeaders, trackingId, type ZoomContext } from './http';
import { jsonResponse } from './json';

/** `GET /v2/users/{userId}`, and the user check of the `/v2/users/{userId}/...` routes. */

/** Only the token's own user exists for it (`me`, its id or its email); anyone else is 404 code 1001. */
export function resolveUser(ctx: ApiContext, userId: string) {
  const decoded = decodeURIComponent(userId);
  if (decoded === 'me' || decoded === ctx.user.id || decoded.toLowerCase() === ctx.user.email.toLowerCase()) return;
  throw new HttpError(apiError(404, 1001, `User does not exist: ${decoded}.`));
}

/** `GET /v2/users/{userId}` (the token's own user: `me`, its id or its email). */
export function getUser(emu: ZoomContext, ctx: ApiContext, request: Request, rawUserId: string): Response {
  requireScope(ctx, SCOPES.readUser);
  resolveUser(ctx, rawUserId);
  const u = ctx.user;
  return jsonResponse(
    {
      id: u.id,
      first_name: u.firstName,
      last_name: u.lastName,
      display_name: `${u.firstName} ${u.lastName}`,
      email: u.email,
      type: u.type,
      role_name: 'Member',
      pmi: u.pmi,
      use_pmi: false,
      personal_meeting_url: `${origin(emu, request)}/j/${u.pmi}`,
      timezone: u.timezone,
      verified: 1,
      dept: '',
      created_at: '2024-04-01T09:00:00Z',
      user_created_at: '2024-04-01T09:00:00Z',
      last_login_time: isoSeconds(emu.now()),
      pic_url: '',
      language: u.language,
      phone_number: '',
      status: 'active',
      role_id: '2',
      account_id: u.accountId,
      account_number: 1234567890n,
      cluster: 'us05',
      login_types: [100],
      user_created_type: 0,
    },
    200,
    { 'x-zm-trackingid': trackingId(), ...rateHeaders('Light') },
  );
}
