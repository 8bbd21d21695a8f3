import 'server-only';
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import NextAuth, { type NextAuthConfig } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers';
import Nodemailer from 'next-auth/providers/nodemailer';
import { getDb } from '@/lib/db/client';
import { accounts, sessions, users, verificationTokens } from '@/lib/db/schema/hosts';
import { type Env, env, exportAuthUrl } from '@/lib/env';
import { sendSignInLink } from './magic-link';

type GoogleProfile = { sub: string; email: string; email_verified?: boolean; name?: string; picture?: string | null };

/**
 * "Continue with Google" as plain OAuth 2.0 with explicit endpoints from env().google, like the
 * Calendar link: the same code talks to Google, the in-app emulator or a standalone one (Auth.js's
 * built-in Google provider is OIDC with discovery at accounts.google.com, so it cannot be pointed
 * elsewhere). The profile comes from the userinfo endpoint; an id_token in the token response is
 * still checked against `issuer` (Google's is https://accounts.google.com = the default oauthUrl).
 */
function googleSignIn(google: Env['google']): OAuthConfig<GoogleProfile> {
  return {
    id: 'google',
    name: 'Google',
    type: 'oauth',
    issuer: google.oauthUrl,
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    authorization: { url: `${google.oauthUrl}/o/oauth2/v2/auth`, params: { scope: 'openid email profile' } },
    token: `${google.tokenUrl}/token`,
    userinfo: `${google.apiUrl}/oauth2/v3/userinfo`,
    checks: ['pkce', 'state'],
    profile: (profile) => ({ id: profile.sub, name: profile.name ?? null, email: profile.email, image: profile.picture ?? null }),
    // A host who signed up by magic link may later continue with Google under the same address;
    // safe because only verified Google addresses are let in (the signIn callback).
    allowDangerousEmailAccountLinking: true,
  };
}

/**
 * Auth.js v5. The config is built lazily (per request) so `next build` needs no database or mail
 * settings. Database sessions; magic links go through the mail outbox (lib/mail/outbox.ts: SMTP or the file outbox, retried by the worker).
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
      ...(config.google.signInEnabled ? [googleSignIn(config.google)] : []),
    ],
    callbacks: {
      signIn({ account, profile }) {
        return account?.provider !== 'google' || profile?.email_verified === true;
      },
      session({ session, user }) {
        session.user.id = user.id;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(buildConfig);
