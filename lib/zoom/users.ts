import 'server-only';
import type { ZoomCredentialSource } from './types';

/**
 * Users of a Zoom account (organisation's S2S app; contracts first, filled in by the integration
 * work): list, find by id or email, create, and the meeting security settings that decide which
 * passcode a meeting may carry.
 */

export type ZoomAccountUser = { id: string; email: string; firstName: string; lastName: string; type: number; status: string };

/** Every user of the account (all pages). */
export async function listZoomUsers(_source: ZoomCredentialSource): Promise<ZoomAccountUser[]> {
  throw new Error('listZoomUsers: not implemented yet');
}

/** `GET /users/{idOrEmail}`: null when Zoom has no such user (404/1001). */
export async function findZoomUser(_source: ZoomCredentialSource, _idOrEmail: string): Promise<ZoomAccountUser | null> {
  throw new Error('findZoomUser: not implemented yet');
}

/** `POST /users` (action `create`): a Basic user (type 1) unless `type` says otherwise. Zoom's refusals are IntegrationErrors. */
export async function createZoomUser(
  _source: ZoomCredentialSource,
  _input: { email: string; firstName: string; lastName?: string; type?: 1 | 2 },
): Promise<ZoomAccountUser> {
  throw new Error('createZoomUser: not implemented yet');
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
};

export async function zoomPasscodePolicy(_source: ZoomCredentialSource, _zoomUserId: string): Promise<PasscodePolicy> {
  throw new Error('zoomPasscodePolicy: not implemented yet');
}
