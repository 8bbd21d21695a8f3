import 'server-only';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Everything is optional in development: the embedded database,
 * the file outbox and the emulators stand in for what is not configured. In production the secrets
 * must be given. Empty strings count as missing (a blank line in .env must not mean "set").
 */

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());
const optionalUrl = z.preprocess(blankToUndefined, z.url().optional());
const flag = z.preprocess(blankToUndefined, z.enum(['0', '1', 'true', 'false']).optional());

const schema = z.object({
  NODE_ENV: z.preprocess(blankToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  AKI_DATA_DIR: optionalString,
  PGLITE_DIR: optionalString,
  APP_URL: z.preprocess(blankToUndefined, z.url().default('http://localhost:3000')),
  // Auth.js's own names for the base URL: Aki derives it from APP_URL (see authUrlFromAppUrl), so they must not disagree.
  AUTH_URL: optionalUrl,
  NEXTAUTH_URL: optionalUrl,
  AUTH_SECRET: z.preprocess(blankToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  ENCRYPTION_KEY: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')
      .optional(),
  ),
  ZOOM_CLIENT_ID: optionalString,
  ZOOM_CLIENT_SECRET: optionalString,
  ZOOM_WEBHOOK_SECRET_TOKEN: optionalString,
  ZOOM_OAUTH_URL: optionalUrl,
  ZOOM_API_URL: optionalUrl,
  // The instance organisation (single-company install) and its Zoom account's Server-to-Server OAuth app.
  AKI_ORG_NAME: optionalString,
  AKI_ADMIN_EMAILS: optionalString,
  ZOOM_S2S_ACCOUNT_ID: optionalString,
  ZOOM_S2S_CLIENT_ID: optionalString,
  ZOOM_S2S_CLIENT_SECRET: optionalString,
  ZOOM_S2S_WEBHOOK_SECRET_TOKEN: optionalString,
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  GOOGLE_OAUTH_URL: optionalUrl,
  GOOGLE_TOKEN_URL: optionalUrl,
  GOOGLE_API_URL: optionalUrl,
  SMTP_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  MAIL_FROM: z.preprocess(blankToUndefined, z.string().default('Aki <no-reply@aki.localhost>')),
  AKI_RATE_LIMIT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).default(30)),
  TRUST_PROXY: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(20).default(0)),
  AKI_DEMO: flag,
  AKI_DEMO_PUBLIC: flag,
  AKI_WORKER: flag,
  AKI_DB_NAMED_STATEMENTS: flag,
  AKI_WEBHOOK_ALLOW_PRIVATE: flag,
  AKI_ZOOM_INLINE_DEADLINE_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).default(4000)),
  AKI_LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['info', 'warn', 'error', 'silent']).default('info')),
});

type RawEnv = z.infer<typeof schema>;

export type Env = {
  nodeEnv: RawEnv['NODE_ENV'];
  production: boolean;
  dataDir: string;
  /**
   * `namedStatements`: the hot statements are server-side prepared statements (parsed and planned once per
   * connection); off (AKI_DB_NAMED_STATEMENTS=0) behind a pooler that cannot keep them across transactions.
   */
  database: { kind: 'postgres'; url: string; namedStatements: boolean } | { kind: 'pglite'; dir: string };
  appUrl: string;
  authSecret: string;
  encryptionKey: Buffer;
  /** Emulators mounted under /api/emulators and the in-app mailbox. */
  demo: boolean;
  /** Run the follow-up worker inside the web server process. */
  inProcessWorker: boolean;
  zoom: {
    clientId: string;
    clientSecret: string;
    webhookSecretToken: string;
    oauthUrl: string;
    apiUrl: string;
    /** True when the ids point at our emulator rather than a configured Zoom app. */
    emulated: boolean;
    configured: boolean;
  };
  /**
   * AKI_ORG_NAME: the whole instance is one organisation that every new host joins; AKI_ADMIN_EMAILS
   * (comma-separated, lowercased) join it as admins. Null: organisations are made in the app.
   */
  instanceOrganisation: { name: string; adminEmails: string[] } | null;
  /** ZOOM_S2S_*: the instance organisation's Zoom account (Server-to-Server OAuth app); token at zoom.oauthUrl, API at zoom.apiUrl. */
  zoomS2s: { accountId: string; clientId: string; clientSecret: string; webhookSecretToken: string | null } | null;
  google: {
    clientId: string;
    clientSecret: string;
    oauthUrl: string;
    tokenUrl: string;
    apiUrl: string;
    emulated: boolean;
    configured: boolean;
    /** "Continue with Google" is offered whenever Google is usable: a configured client (Google or a standalone emulator) or demo mode. */
    signInEnabled: boolean;
  };
  mail: { smtpUrl: string | null; from: string; outboxDir: string };
  rateLimitPerMinute: number;
  /** Reverse proxies in front of the app that append to X-Forwarded-For (0: clients connect directly). */
  trustProxy: number;
  zoomInlineDeadlineMs: number;
  /** Lowest level of the JSON log lines written to stdout (lib/log.ts). */
  logLevel: 'info' | 'warn' | 'error' | 'silent';
  /**
   * Outgoing webhooks (lib/webhooks). `allowPrivate` (AKI_WEBHOOK_ALLOW_PRIVATE=1) lets subscriptions post to
   * loopback, private and link-local addresses (tests, an internal service); off, such URLs are refused (SSRF).
   */
  webhooks: { allowPrivate: boolean };
};

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'EnvError';
  }
}

const isOn = (value: string | undefined) => value === '1' || value === 'true';

/** localhost, 127.0.0.0/8 or ::1: an address only this machine can reach. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost') return true;
  if (host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
const isOff = (value: string | undefined) => value === '0' || value === 'false';

/** Development secrets are generated once and kept beside the embedded database. */
function devSecrets(dataDir: string): { authSecret: string; encryptionKey: string } {
  const file = path.join(dataDir, 'secrets.json');
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { authSecret?: string; encryptionKey?: string };
    if (parsed.authSecret && parsed.encryptionKey) return { authSecret: parsed.authSecret, encryptionKey: parsed.encryptionKey };
  } catch {
    // first start: fall through and create them
  }
  const secrets = { authSecret: randomBytes(32).toString('base64url'), encryptionKey: randomBytes(32).toString('hex') };
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { flag: 'wx', mode: 0o600 });
    return secrets;
  } catch {
    // another process won the race: use what it wrote
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const raw = result.data;
  const production = raw.NODE_ENV === 'production';
  const problems: string[] = [];
  const dataDir = path.resolve(/*turbopackIgnore: true*/ raw.AKI_DATA_DIR ?? '.data');
  const appUrl = raw.APP_URL.replace(/\/+$/, '');

  const zoomConfigured = Boolean(raw.ZOOM_CLIENT_ID && raw.ZOOM_CLIENT_SECRET);
  // Demo mode: on by default in development when Zoom is not configured; in production only when asked for.
  const demo = isOn(raw.AKI_DEMO) || (!production && !isOff(raw.AKI_DEMO) && !zoomConfigured);

  let authSecret = raw.AUTH_SECRET;
  let encryptionKey = raw.ENCRYPTION_KEY;
  if (!authSecret || !encryptionKey) {
    if (production) {
      if (!authSecret) problems.push('AUTH_SECRET: required in production (openssl rand -base64 32)');
      if (!encryptionKey) problems.push('ENCRYPTION_KEY: required in production (openssl rand -hex 32)');
    } else {
      const generated = devSecrets(dataDir);
      authSecret ??= generated.authSecret;
      encryptionKey ??= generated.encryptionKey;
    }
  }
  // Demo mode lets anyone sign in as anyone (the mailbox) and exposes the emulators' tokens: a
  // production server may run it only where nobody else can reach it, unless explicitly asked to.
  if (production && demo && !isLoopbackUrl(appUrl) && !isOn(raw.AKI_DEMO_PUBLIC)) {
    problems.push(
      `AKI_DEMO: demo mode lets anyone sign in as any user and read every mail, so a production server (NODE_ENV=production) refuses it unless APP_URL is a loopback address (localhost, 127.0.0.0/8, ::1; it is ${appUrl}) or AKI_DEMO_PUBLIC=1 is set to expose the demo on purpose`,
    );
  }
  for (const name of ['AUTH_URL', 'NEXTAUTH_URL'] as const) {
    const value = raw[name];
    if (value && new URL(value).origin !== new URL(appUrl).origin) {
      problems.push(`${name}: leave it unset (Aki derives it from APP_URL); it points at ${new URL(value).origin}, APP_URL at ${new URL(appUrl).origin}`);
    }
  }
  if (raw.ZOOM_CLIENT_ID && !raw.ZOOM_CLIENT_SECRET) problems.push('ZOOM_CLIENT_SECRET: required when ZOOM_CLIENT_ID is set');
  if (raw.GOOGLE_CLIENT_ID && !raw.GOOGLE_CLIENT_SECRET) problems.push('GOOGLE_CLIENT_SECRET: required when GOOGLE_CLIENT_ID is set');
  const s2sParts = [raw.ZOOM_S2S_ACCOUNT_ID, raw.ZOOM_S2S_CLIENT_ID, raw.ZOOM_S2S_CLIENT_SECRET];
  if (s2sParts.some(Boolean) && !s2sParts.every(Boolean)) {
    problems.push('ZOOM_S2S_ACCOUNT_ID, ZOOM_S2S_CLIENT_ID, ZOOM_S2S_CLIENT_SECRET: set all three (the Server-to-Server OAuth app of the Zoom account) or none');
  }
  if (s2sParts.every(Boolean) && !raw.AKI_ORG_NAME) {
    problems.push('AKI_ORG_NAME: required with ZOOM_S2S_* (the Zoom account belongs to the instance organisation)');
  }
  if (problems.length > 0) throw new EnvError(problems);

  const emulatorBase = `${appUrl}/api/emulators`;
  const zoomEmulated = !zoomConfigured && demo;
  const googleConfigured = Boolean(raw.GOOGLE_CLIENT_ID && raw.GOOGLE_CLIENT_SECRET);
  const googleEmulated = !googleConfigured && demo;

  return {
    nodeEnv: raw.NODE_ENV,
    production,
    dataDir,
    database: raw.DATABASE_URL
      ? { kind: 'postgres', url: raw.DATABASE_URL, namedStatements: !isOff(raw.AKI_DB_NAMED_STATEMENTS) }
      : { kind: 'pglite', dir: raw.PGLITE_DIR === 'memory://' ? 'memory://' : path.resolve(/*turbopackIgnore: true*/ raw.PGLITE_DIR ?? path.join(dataDir, 'pglite')) },
    appUrl,
    authSecret: authSecret!,
    encryptionKey: Buffer.from(encryptionKey!, 'hex'),
    demo,
    inProcessWorker: !isOff(raw.AKI_WORKER),
    zoom: {
      clientId: raw.ZOOM_CLIENT_ID ?? (zoomEmulated ? 'aki-demo-zoom-client' : ''),
      clientSecret: raw.ZOOM_CLIENT_SECRET ?? (zoomEmulated ? 'aki-demo-zoom-secret' : ''),
      webhookSecretToken: raw.ZOOM_WEBHOOK_SECRET_TOKEN ?? (zoomEmulated ? 'aki-demo-zoom-webhook-secret' : ''),
      oauthUrl: (raw.ZOOM_OAUTH_URL ?? (zoomEmulated ? `${emulatorBase}/zoom` : 'https://zoom.us')).replace(/\/+$/, ''),
      apiUrl: (raw.ZOOM_API_URL ?? (zoomEmulated ? `${emulatorBase}/zoom/v2` : 'https://api.zoom.us/v2')).replace(/\/+$/, ''),
      emulated: zoomEmulated,
      configured: zoomConfigured || zoomEmulated,
    },
    instanceOrganisation: raw.AKI_ORG_NAME
      ? {
          name: raw.AKI_ORG_NAME,
          adminEmails: (raw.AKI_ADMIN_EMAILS ?? '')
            .split(',')
            .map((email) => email.trim().toLowerCase())
            .filter(Boolean),
        }
      : null,
    zoomS2s:
      raw.ZOOM_S2S_ACCOUNT_ID && raw.ZOOM_S2S_CLIENT_ID && raw.ZOOM_S2S_CLIENT_SECRET
        ? {
            accountId: raw.ZOOM_S2S_ACCOUNT_ID,
            clientId: raw.ZOOM_S2S_CLIENT_ID,
            clientSecret: raw.ZOOM_S2S_CLIENT_SECRET,
            webhookSecretToken: raw.ZOOM_S2S_WEBHOOK_SECRET_TOKEN ?? null,
          }
        : null,
    google: {
      clientId: raw.GOOGLE_CLIENT_ID ?? (googleEmulated ? 'aki-demo-google-client' : ''),
      clientSecret: raw.GOOGLE_CLIENT_SECRET ?? (googleEmulated ? 'aki-demo-google-secret' : ''),
      oauthUrl: (raw.GOOGLE_OAUTH_URL ?? (googleEmulated ? `${emulatorBase}/google` : 'https://accounts.google.com')).replace(/\/+$/, ''),
      tokenUrl: (raw.GOOGLE_TOKEN_URL ?? (googleEmulated ? `${emulatorBase}/google` : 'https://oauth2.googleapis.com')).replace(/\/+$/, ''),
      apiUrl: (raw.GOOGLE_API_URL ?? (googleEmulated ? `${emulatorBase}/google` : 'https://www.googleapis.com')).replace(/\/+$/, ''),
      emulated: googleEmulated,
      configured: googleConfigured || googleEmulated,
      signInEnabled: googleConfigured || googleEmulated,
    },
    mail: { smtpUrl: raw.SMTP_URL ?? null, from: raw.MAIL_FROM, outboxDir: path.join(dataDir, 'outbox') },
    rateLimitPerMinute: raw.AKI_RATE_LIMIT,
    trustProxy: raw.TRUST_PROXY,
    zoomInlineDeadlineMs: raw.AKI_ZOOM_INLINE_DEADLINE_MS,
    logLevel: raw.AKI_LOG_LEVEL,
    webhooks: { allowPrivate: isOn(raw.AKI_WEBHOOK_ALLOW_PRIVATE) },
  };
}

let cached: Env | undefined;

/** The validated environment, parsed once per process on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Auth.js takes its base URL from process.env.AUTH_URL at every entry point (route handler,
 * signIn/signOut, auth()); without it, it uses the request's URL, which inside Next is
 * http://localhost:<port> (magic links, OAuth callbacks and redirects then point there) and its
 * cookie names ignore https. So AUTH_URL is derived from APP_URL here, the one place that touches
 * process.env, and a self-hoster sets APP_URL only. Called when the Auth.js config is built.
 */
export function exportAuthUrl(): void {
  process.env.AUTH_URL = new URL(env().appUrl).origin;
}

/** Tests that change process.env between cases call this to re-read it. */
export function resetEnvCache(): void {
  cached = undefined;
}
