import 'server-only';
import { z } from 'zod';
import { isIntegrationError } from '@/lib/errors';
import { type ZoomCallOptions, callApi, parse, withToken } from './client';
import { zoomError } from './rest';
import type { ZoomCredentialSource } from './types';

/**
 * Users of a Zoom account (an organisation's S2S app): list, find by id or email, create, and the
 * meeting security settings that decide which passcode a meeting may carry. Users are addressed by
 * id or email, never `me`.
 */

export type ZoomAccountUser = { id: string; email: string; firstName: string; lastName: string; type: number; status: string };

const userSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  email: z.string().nullable().optional(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  type: z.number().optional(),
  status: z.string().nullable().optional(),
});

const listSchema = z.object({
  next_page_token: z.string().nullable().optional(),
  users: z.array(userSchema).nullable().optional(),
});

function toUser(body: z.output<typeof userSchema>, status = 'active'): ZoomAccountUser {
  return {
    id: body.id,
    email: body.email ?? '',
    firstName: body.first_name ?? '',
    lastName: body.last_name ?? '',
    type: body.type ?? 1,
    status: body.status ?? status,
  };
}

const MAX_USER_PAGES = 100;

const userSegment = (idOrEmail: string) => {
  if (!idOrEmail.trim() || idOrEmail === 'me') throw zoomError('invalid_request', 'A Zoom user is addressed by id or email here, never "me" or nothing');
  return encodeURIComponent(idOrEmail.trim());
};

/** Every active user of the account (`GET /users?status=active`, page_size 300, all pages). */
export async function listZoomUsers(source: ZoomCredentialSource, options?: ZoomCallOptions): Promise<ZoomAccountUser[]> {
  const out: ZoomAccountUser[] = [];
  let pageToken = '';
  for (let page = 0; page < MAX_USER_PAGES; page++) {
    const query = new URLSearchParams({ status: 'active', page_size: '300' });
    if (pageToken) query.set('next_page_token', pageToken);
    const body = await withToken(source, async (token) =>
      parse(listSchema, await callApi(token, { method: 'GET', path: `/users?${query}`, operation: 'list users' }, options), 'list users'),
    );
    for (const user of body.users ?? []) out.push(toUser(user));
    pageToken = body.next_page_token ?? '';
    if (!pageToken) return out;
  }
  throw zoomError('lookup_incomplete', `The Zoom account has more than ${MAX_USER_PAGES * 300} users; the list was not read to the end`);
}

/** `GET /users/{idOrEmail}`: null when Zoom has no such user (404 code 1001). */
export async function findZoomUser(source: ZoomCredentialSource, idOrEmail: string, options?: ZoomCallOptions): Promise<ZoomAccountUser | null> {
  const path = `/users/${userSegment(idOrEmail)}`;
  try {
    return await withToken(source, async (token) => toUser(parse(userSchema, await callApi(token, { method: 'GET', path, operation: 'get user' }, options), 'get user')));
  } catch (error) {
    if (isIntegrationError(error) && error.status === 404 && (error.providerCode === 1001 || /does not exist/i.test(error.providerMessage ?? ''))) return null;
    throw error;
  }
}

/**
 * `POST /users` (action `create`): a Basic user (type 1) unless `type` says otherwise. Zoom mails the
 * person an invitation; the user is `pending` until they accept it. Zoom's refusals (no licence
 * left, user already in the account 1005, …) are `invalid_request` IntegrationErrors whose
 * `providerMessage` is Zoom's own text; a missing user:write scope is `missing_scope`.
 */
export async function createZoomUser(
  source: ZoomCredentialSource,
  input: { email: string; firstName: string; lastName?: string; type?: 1 | 2 },
  options?: ZoomCallOptions,
): Promise<ZoomAccountUser> {
  const json = {
    action: 'create',
    user_info: { email: input.email.trim(), type: input.type ?? 1, first_name: input.firstName.slice(0, 64), last_name: (input.lastName ?? '').slice(0, 64) },
  };
  try {
    return await withToken(source, async (token) =>
      toUser(parse(userSchema, await callApi(token, { method: 'POST', path: '/users', json, operation: 'create user' }, options), 'create user'), 'pending'),
    );
  } catch (error) {
    if (!isIntegrationError(error)) throw error;
    // Retrying later can help with these; the caller keeps them as they are.
    if (['missing_scope', 'rate_limited', 'daily_limit', 'unavailable', 'unauthorized', 'revoked', 'unexpected_response'].includes(error.reason)) throw error;
    const said = error.providerMessage ?? error.message;
    throw zoomError('invalid_request', `Zoom did not create the user ${input.email}: ${said}`, {
      status: error.status,
      providerCode: error.providerCode,
      providerMessage: said,
      retryable: false,
    });
  }
}

/** What `GET /users/{id}/settings?option=meeting_security` requires of a meeting passcode. */
export type PasscodePolicy = {
  required: boolean;
  length: number;
  haveLetter: boolean;
  haveNumber: boolean;
  haveSpecialCharacter: boolean;
  onlyNumeric: boolean;
  /** Zoom refuses passcodes with this many consecutive identical/sequential characters (0: no rule). */
  consecutiveCharactersLength: number;
  /** Both upper- and lower-case letters (Zoom's have_upper_and_lower_characters). */
  haveUpperAndLower?: boolean;
};

const settingsSchema = z.object({
  meeting_security: z
    .object({
      require_password_for_scheduled_meeting: z.boolean().nullable().optional(),
      meeting_password_requirement: z
        .object({
          length: z.number().nullable().optional(),
          have_letter: z.boolean().nullable().optional(),
          have_number: z.boolean().nullable().optional(),
          have_special_character: z.boolean().nullable().optional(),
          only_allow_numeric: z.boolean().nullable().optional(),
          have_upper_and_lower_characters: z.boolean().nullable().optional(),
          consecutive_characters_length: z.number().nullable().optional(),
        })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});

export async function zoomPasscodePolicy(source: ZoomCredentialSource, zoomUserId: string, options?: ZoomCallOptions): Promise<PasscodePolicy> {
  const path = `/users/${userSegment(zoomUserId)}/settings?option=meeting_security`;
  const body = await withToken(source, async (token) =>
    parse(settingsSchema, await callApi(token, { method: 'GET', path, operation: 'get user settings' }, options), 'get user settings'),
  );
  const security = body.meeting_security ?? {};
  const rule = security.meeting_password_requirement ?? {};
  return {
    required: security.require_password_for_scheduled_meeting ?? false,
    length: Math.max(0, rule.length ?? 0),
    haveLetter: rule.have_letter ?? false,
    haveNumber: rule.have_number ?? false,
    haveSpecialCharacter: rule.have_special_character ?? false,
    onlyNumeric: rule.only_allow_numeric ?? false,
    consecutiveCharactersLength: Math.max(0, rule.consecutive_characters_length ?? 0),
    haveUpperAndLower: rule.have_upper_and_lower_characters ?? false,
  };
}
