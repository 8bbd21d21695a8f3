'use server';

import { redirect } from 'next/navigation';
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { type ActionResult, runAction } from '@/lib/actions';
import { AppError } from '@/lib/errors';
import { signIn, signOut } from './config';

/** useActionState's state for the e-mail sign-in form: null before the first submit. */
export type EmailSignInState = ActionResult | null;

/**
 * Sends the sign-in link. A malformed address is `invalid_input` with `fields.email = "invalid_email"`;
 * a refusal by Auth.js (`AuthError`, e.g. the mail could not be sent) is `integration_unavailable`.
 */
export async function signInWithEmail(_prev: EmailSignInState, formData: FormData): Promise<ActionResult> {
  const result = await runAction('signInWithEmail', async () => {
    const email = String(formData.get('email') ?? '').trim();
    if (!z.email().safeParse(email).success) throw new AppError('invalid_input', 'Invalid e-mail address', { fields: { email: 'invalid_email' } });
    try {
      // No redirect through /api/auth/verify-request: a server action's client-side navigation
      // into a route handler loops; we send the visitor to our own page instead.
      await signIn('nodemailer', { email: email.toLowerCase(), redirectTo: '/dashboard', redirect: false });
    } catch (error) {
      if (error instanceof AuthError) throw new AppError('integration_unavailable', 'The sign-in link could not be sent');
      throw error;
    }
    return null;
  });
  if (result.ok) redirect('/login/check-email');
  return result;
}

export async function signInWithGoogle(): Promise<void> {
  await signIn('google', { redirectTo: '/dashboard' });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect('/');
}
