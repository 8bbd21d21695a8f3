import { DrizzleAdapter } from '@auth/drizzle-adapter';
import NextAuth, { type NextAuthConfig } from 'next-auth';
import Google from 'next-auth/providers/google';
import Nodemailer from 'next-auth/providers/nodemailer';
import { getDb } from '@/lib/db/client';
import { accounts, sessions, users, verificationTokens } from '@/lib/db/schema/hosts';
import { env, exportAuthUrl } from '@/lib/env';
import { sendSignInLink } from './magic-link';

/**
 * Auth.js v5. The config is built lazily (per request) so `next build` needs no database or mail
 * settings. Database sessions; magic links go through our mail transport (SMTP or the file outbox).
 */
async function buildConfig(): Promise<NextAuthConfig> {
  const config = env();
  // Before Auth.js reads it: next-auth calls this function first at every entry point.
  exportAuthUrl();
  const db = await getDb();
  return {
    // biome-ignore lint/suspicious/noExplicitAny: the adapter accepts any Drizzle Postgres database
    adapter: DrizzleAdapter(db as any, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    secret: config.authSecret,
    trustHost: true,
    basePath: '/api/auth',
    session: { strategy: 'database', maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: '/login', verifyRequest: '/login/check-email', error: '/login' },
    providers: [
      Nodemailer({
        server: 'smtp://unused.invalid',
        from: config.mail.from,
        maxAge: 30 * 60,
        sendVerificationRequest: ({ identifier, url }) => sendSignInLink(identifier, url),
      }),
      ...(config.google.signInEnabled
        ? [Google({ clientId: config.google.clientId, clientSecret: config.google.clientSecret, allowDangerousEmailAccountLinking: true })]
        : []),
    ],
    callbacks: {
      session({ session, user }) {
        session.user.id = user.id;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(buildConfig);
