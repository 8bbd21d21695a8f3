import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, isLoopbackUrl, parseEnv } from './env';

const tmp = path.join(os.tmpdir(), `aki-env-test-${process.pid}`);

describe('parseEnv', () => {
  it('runs with nothing set in development: PGlite, generated secrets, demo mode with emulator URLs', () => {
    const env = parseEnv({ AKI_DATA_DIR: tmp });
    expect(env.database).toEqual({ kind: 'pglite', dir: path.join(tmp, 'pglite') });
    expect(env.encryptionKey).toHaveLength(32);
    expect(env.demo).toBe(true);
    expect(env.zoom.oauthUrl).toBe('http://localhost:3000/api/emulators/zoom');
    expect(env.zoom.apiUrl).toBe('http://localhost:3000/api/emulators/zoom/v2');
    // the same secrets on the next start
    expect(parseEnv({ AKI_DATA_DIR: tmp }).authSecret).toBe(env.authSecret);
  });

  it('the instance organisation and its Zoom Server-to-Server app: all three S2S values or none, and an organisation name', () => {
    expect(parseEnv({ AKI_DATA_DIR: tmp }).instanceOrganisation).toBeNull();
    expect(parseEnv({ AKI_DATA_DIR: tmp }).zoomS2s).toBeNull();
    const env = parseEnv({
      AKI_DATA_DIR: tmp,
      AKI_ORG_NAME: 'Demo',
      AKI_ADMIN_EMAILS: ' Demo@Example.com, boss@example.com ,',
      ZOOM_S2S_ACCOUNT_ID: 'demo-account',
      ZOOM_S2S_CLIENT_ID: 'demo-s2s',
      ZOOM_S2S_CLIENT_SECRET: 'demo-s2s-secret',
    });
    expect(env.instanceOrganisation).toEqual({ name: 'Demo', adminEmails: ['demo@example.com', 'boss@example.com'] });
    expect(env.zoomS2s).toEqual({ accountId: 'demo-account', clientId: 'demo-s2s', clientSecret: 'demo-s2s-secret', webhookSecretToken: null });
    // demo mode keeps the emulated Zoom: the S2S token comes from the emulator too
    expect(env.zoom.oauthUrl).toBe('http://localhost:3000/api/emulators/zoom');
    expect(() => parseEnv({ AKI_DATA_DIR: tmp, AKI_ORG_NAME: 'Demo', ZOOM_S2S_ACCOUNT_ID: 'a' })).toThrow(/set all three/);
    expect(() => parseEnv({ AKI_DATA_DIR: tmp, ZOOM_S2S_ACCOUNT_ID: 'a', ZOOM_S2S_CLIENT_ID: 'b', ZOOM_S2S_CLIENT_SECRET: 'c' })).toThrow(/AKI_ORG_NAME: required/);
  });

  it('names every missing or invalid variable at once in production', () => {
    let caught: unknown;
    try {
      parseEnv({ NODE_ENV: 'production', AUTH_SECRET: '', ZOOM_CLIENT_ID: 'abc' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const problems = (caught as EnvError).problems.join('\n');
    expect(problems).toContain('AUTH_SECRET');
    expect(problems).toContain('ENCRYPTION_KEY');
    expect(problems).toContain('ZOOM_CLIENT_SECRET');
  });

  it('TRUST_PROXY: an integer number of proxy hops, 0 (the socket address) by default', () => {
    expect(parseEnv({ AKI_DATA_DIR: tmp }).trustProxy).toBe(0);
    expect(parseEnv({ AKI_DATA_DIR: tmp, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(() => parseEnv({ AKI_DATA_DIR: tmp, TRUST_PROXY: '-1' })).toThrow(/TRUST_PROXY/);
    expect(() => parseEnv({ AKI_DATA_DIR: tmp, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  it('rejects malformed values with the variable name', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x', ENCRYPTION_KEY: 'short' })).toThrow(/DATABASE_URL[\s\S]*ENCRYPTION_KEY|ENCRYPTION_KEY[\s\S]*DATABASE_URL/);
  });

  it('treats empty strings as unset and keeps production free of emulators unless asked', () => {
    const base = { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), ENCRYPTION_KEY: 'ab'.repeat(32), DATABASE_URL: '' };
    const env = parseEnv(base);
    expect(env.database.kind).toBe('pglite');
    expect(env.demo).toBe(false);
    expect(env.zoom.configured).toBe(false);
    expect(env.zoom.oauthUrl).toBe('https://zoom.us');
    expect(parseEnv({ ...base, AKI_DEMO: '1' }).zoom.emulated).toBe(true);
  });

  it('uses real Zoom when credentials are set', () => {
    const env = parseEnv({ AKI_DATA_DIR: tmp, ZOOM_CLIENT_ID: 'id', ZOOM_CLIENT_SECRET: 'secret', APP_URL: 'https://aki.example.com/' });
    expect(env.demo).toBe(false);
    expect(env.zoom).toMatchObject({ emulated: false, apiUrl: 'https://api.zoom.us/v2', clientId: 'id' });
    expect(env.appUrl).toBe('https://aki.example.com');
  });

  describe('demo mode in production', () => {
    const prod = { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), ENCRYPTION_KEY: 'ab'.repeat(32), AKI_DEMO: '1', AKI_DATA_DIR: tmp };
    const problemsOf = (source: Record<string, string>) => {
      try {
        parseEnv(source);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(EnvError);
        return (error as EnvError).problems.join('\n');
      }
    };

    it('refuses to start on a public APP_URL, naming both ways out', () => {
      const problems = problemsOf({ ...prod, APP_URL: 'https://aki.example.com' });
      expect(problems).toContain('AKI_DEMO');
      expect(problems).toContain('loopback');
      expect(problems).toContain('AKI_DEMO_PUBLIC=1');
      expect(problems).toContain('https://aki.example.com');
      // the default APP_URL is localhost: allowed
      expect(problemsOf({ ...prod })).toBeNull();
    });

    it('allows loopback addresses (the e2e setup) and an explicit AKI_DEMO_PUBLIC=1', () => {
      for (const url of ['http://localhost:3111', 'http://127.0.0.1:3000', 'http://127.9.8.7', 'http://[::1]:3000']) {
        expect(parseEnv({ ...prod, APP_URL: url }).demo, url).toBe(true);
      }
      expect(parseEnv({ ...prod, APP_URL: 'https://demo.example.com', AKI_DEMO_PUBLIC: '1' }).demo).toBe(true);
      expect(problemsOf({ ...prod, APP_URL: 'https://demo.example.com', AKI_DEMO_PUBLIC: '0' })).toContain('AKI_DEMO');
      // demo off: any URL
      expect(parseEnv({ ...prod, AKI_DEMO: '', APP_URL: 'https://aki.example.com' }).demo).toBe(false);
      // development is never refused
      expect(parseEnv({ AKI_DATA_DIR: tmp, AKI_DEMO: '1', APP_URL: 'https://aki.example.com' }).demo).toBe(true);
    });

    it('isLoopbackUrl: only localhost, 127.0.0.0/8 and ::1', () => {
      for (const url of ['http://localhost', 'http://LOCALHOST:1', 'http://127.0.0.1', 'http://[::1]']) expect(isLoopbackUrl(url), url).toBe(true);
      for (const url of ['http://localhost.example.com', 'http://127.0.0.1.nip.io', 'http://10.0.0.1', 'http://0.0.0.0', 'http://[::2]', 'not a url']) {
        expect(isLoopbackUrl(url), url).toBe(false);
      }
    });
  });

  it('refuses an AUTH_URL / NEXTAUTH_URL that disagrees with APP_URL (Auth.js derives its URL from APP_URL)', () => {
    const base = { AKI_DATA_DIR: tmp, APP_URL: 'https://aki.example.com' };
    expect(() => parseEnv({ ...base, AUTH_URL: 'http://localhost:3000' })).toThrow(/AUTH_URL: leave it unset/);
    expect(() => parseEnv({ ...base, NEXTAUTH_URL: 'http://localhost:3000/api/auth' })).toThrow(/NEXTAUTH_URL/);
    expect(parseEnv({ ...base, AUTH_URL: 'https://aki.example.com/api/auth' }).appUrl).toBe('https://aki.example.com');
  });
});
