'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { requireSignedIn } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/http';
import { LOCALE_COOKIE } from '@/lib/i18n/config';
import { updateProfile } from './mutations';
import { profileSchema } from './schema';

export type ProfileFormState = { ok: boolean; fields: Record<string, string>; values?: Record<string, string> };

async function save(formData: FormData): Promise<ProfileFormState> {
  const host = await requireSignedIn();
  const values = {
    name: String(formData.get('name') ?? ''),
    handle: String(formData.get('handle') ?? ''),
    timeZone: String(formData.get('timeZone') ?? ''),
    locale: String(formData.get('locale') ?? ''),
  };
  const parsed = profileSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error), values };
  try {
    await updateProfile(host.id, parsed.data);
  } catch (error) {
    if (isAppError(error) && error.details.fields) return { ok: false, fields: error.details.fields, values };
    throw error;
  }
  // The explicit language choice follows the host to every page, signed in or not.
  (await cookies()).set(LOCALE_COOKIE, parsed.data.locale, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' });
  return { ok: true, fields: {}, values };
}

export async function completeOnboarding(_prev: ProfileFormState, formData: FormData): Promise<ProfileFormState> {
  const result = await save(formData);
  if (result.ok) redirect('/dashboard');
  return result;
}

export async function saveProfile(_prev: ProfileFormState, formData: FormData): Promise<ProfileFormState> {
  return save(formData);
}
