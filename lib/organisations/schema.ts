import { z } from 'zod';
import { oneLineText, withoutControlCharacters } from '@/lib/text-input';

/** Organisations: who may do what, and the inputs of the organisation page's forms. */

export const ORGANISATION_ROLES = ['owner', 'admin', 'member'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];
/** Roles an invitation can give (an owner is made by changing a member's role). */
export const INVITE_ROLES = ['admin', 'member'] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];

/** Owners and admins manage the organisation (name, members, invitations, Zoom). */
export const canManage = (role: OrganisationRole) => role === 'owner' || role === 'admin';

/** How long an invitation link works. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** An invitation token: 32 random bytes, base64url (43 characters). */
export const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const organisationNameSchema = oneLineText(80, 'too_long').min(1, 'required');

export const createOrganisationSchema = z.object({ name: organisationNameSchema });
export const renameOrganisationSchema = z.object({ name: organisationNameSchema });

export const inviteSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'required')
    .max(254, 'invalid_email')
    .refine(withoutControlCharacters(), 'invalid_email')
    .pipe(z.email('invalid_email')),
  role: z.enum(INVITE_ROLES, 'invalid_role'),
});
export type InviteInput = z.infer<typeof inviteSchema>;

export const changeRoleSchema = z.object({
  userId: z.string().min(1).max(100),
  role: z.enum(ORGANISATION_ROLES, 'invalid_role'),
});
