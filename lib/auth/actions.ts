'use server';

import { redirect } from 'next/navigation';
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { signIn, signOut } from './config';

export type EmailSignInState = { error?: 'invalid_email' | 'failed'; email?: string };

export async function signInWithEmail(_prev: EmailSignInState, formData: FormData): Promise<EmailSignInState> {
  const email = String(formData.get('email') ?? '').trim();
  if (!z.email().safeParse(email).success) return { error: 'invalid_email', email };
  try {
    // No redirect through /api/auth/verify-request: a server action's client-side navigation
    // into a route handler loops; we send the visitor to our own page instead.
    await signIn('nodemailer', { email: email.toLowerCase(), redirectTo: '/dashboard', redirect: false });
  } catch (error) {
    if (error instanceof AuthError) return { error: 'failed', email };
    throw error;
  }
  redirect('/login/check-email');
}

export async function signInWithGoogle(): Promise<void> {
  await signIn('google', { redirectTo: '/dashboard' });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect('/');
}
