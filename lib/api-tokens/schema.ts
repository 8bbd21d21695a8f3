import { z } from 'zod';
import { oneLineText } from '@/lib/text-input';

/** Personal API tokens: `aki_` + 32 random bytes (base64url). Only their SHA-256 is stored. */
export const API_TOKEN_PREFIX = 'aki_';
export const API_TOKEN_PATTERN = /^aki_[A-Za-z0-9_-]{20,100}$/;

export const apiTokenNameSchema = oneLineText(80, 'too_long').min(1, 'required');
export const createApiTokenSchema = z.object({ name: apiTokenNameSchema });

/** The bearer token of an Authorization header, or null when there is none. */
export function bearerToken(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  return match ? match[1]! : null;
}
