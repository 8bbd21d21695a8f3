'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { type ActionResult, runAction } from '@/lib/actions';
import { getCurrentHost, requireSignedIn } from '@/lib/auth/session';
import { isLocale, LOCALE_COOKIE } from '@/lib/i18n/config';
import { joinInstanceOrganisation } from '@/lib/organisations/service';
import { updateHostLocale, updateProfile } from './mutations';
import { profileSchema } from './schema';

/** useActionState's state for the profile form: null before the first submit. */
export type ProfileFormState = ActionResult | null;

async function save(formData: FormData): Promise<ActionResult> {
  return runAction('saveProfile', async () => {
    const host = await requireSignedIn();
    const values = {
      name: String(formData.get('name') ?? ''),
      handle: String(formData.get('handle') ?? ''),
      timeZone: String(formData.get('timeZone') ?? ''),
      locale: String(formData.get('locale') ?? ''),
      hour12: String(formData.get('hour12') ?? 'auto'),
    };
    const profile = profileSchema.parse(values);
    await updateProfile(host.id, profile);
    // AKI_ORG_NAME: a host joins the instance organisation when onboarding completes (idempotent).
    await joinInstanceOrganisation({ id: host.id, email: host.email });
    // The explicit language choice follows the host to every page, signed in or not.
    (await cookies()).set(LOCALE_COOKIE, profile.locale, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' });
    return null;
  });
}

export async function completeOnboarding(_prev: ProfileFormState, formData: FormData): Promise<ActionResult> {
  const result = await save(formData);
  if (result.ok) redirect('/dashboard');
  return result;
}

export async function saveProfile(_prev: ProfileFormState, formData: FormData): Promise<ActionResult> {
  return save(formData);
}

/**
 * The language switcher: remembers the choice in the cookie and, for a signed-in host, in their
 * profile (which is what decides their language from then on, in every browser).
 */
export async function chooseLocaleAction(locale: string): Promise<ActionResult> {
  return runAction('chooseLocale', async () => {
    if (!isLocale(locale)) return null;
    (await cookies()).set(LOCALE_COOKIE, locale, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' });
    const host = await getCurrentHost();
    if (host?.handle) await updateHostLocale(host.id, locale);
    return null;
  });
}
