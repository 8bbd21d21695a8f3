import { readdirSync } from 'node:fs';
import path from 'node:path';
import { getPathMatch } from 'next/dist/shared/lib/router/utils/path-match';
import { describe, expect, it } from 'vitest';
import { RESERVED_HANDLES } from '@/lib/hosts/schema';
import { APP_ROUTE_SEGMENTS, frameHeaderRules } from './frame-policy.mjs';

/** The headers Next sends for `pathname`, matched the way Next matches headers() sources (later rules win per key). */
function headersFor(pathname: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of frameHeaderRules()) {
    if (getPathMatch(rule.source, { removeUnnamedParams: true, strict: true })(pathname) === false) continue;
    for (const { key, value } of rule.headers) out[key.toLowerCase()] = value;
  }
  return out;
}

const refuses = (pathname: string) => {
  const h = headersFor(pathname);
  return h['x-frame-options'] === 'SAMEORIGIN' && h['content-security-policy'] === "frame-ancestors 'self'";
};
const allows = (pathname: string) => {
  const h = headersFor(pathname);
  return h['x-frame-options'] === undefined && h['content-security-policy'] === 'frame-ancestors *';
};

describe('frame policy', () => {
  it('lets any site frame the pages a guest goes through, and embed.js', () => {
    for (const p of [
      '/demo/intro',
      '/taro-yamada/30min',
      '/demo/intro/booked/bk_123',
      '/booking/bk_123',
      '/demo/intro/booked/bk_1/ics',
      '/embed.js',
      '/team/demo-team/intro',
      '/team/demo-team/panel/booked/bk_123',
      '/team/demo-team/panel/booked/bk_1/ics',
    ])
      expect(allows(p), p).toBe(true);
  });

  it('refuses framing of host pages, sign-in, the API and everything else', () => {
    for (const p of [
      '/',
      '/dashboard',
      '/login',
      '/login/check-email',
      '/settings/profile',
      '/settings/api-tokens',
      '/organisation/zoom',
      '/pages/new',
      '/pages/0b6f1c9a',
      '/bookings',
      '/bookings/bk_123',
      '/bookings/export.csv',
      '/api/health',
      '/api/v1/bookings',
      '/api/public/pages',
      '/mailbox/abc',
      '/invite/tok',
      '/onboarding',
      '/demo',
      '/team/demo-team',
      '/team/demo-team/intro/booked',
      '/team/demo-team/intro/extra/deep',
      '/demo/intro/booked',
      '/demo/intro/booked/bk_1/other',
      '/demo/intro/extra/deep/path',
      '/booking/bk_1/extra',
      '/_next/static/chunk.js',
      '/embed.js.map',
    ]) {
      expect(refuses(p), p).toBe(true);
    }
  });

  it('knows every top-level route of app/, and no handle can take one of their names', () => {
    const appDir = path.resolve(import.meta.dirname, '../../app');
    const segments = new Set<string>();
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        if (entry.name.startsWith('(')) visit(path.join(dir, entry.name));
        else if (!entry.name.startsWith('[')) segments.add(entry.name);
      }
    };
    visit(appDir);
    for (const segment of segments) expect(APP_ROUTE_SEGMENTS, segment).toContain(segment);
    for (const segment of APP_ROUTE_SEGMENTS) expect(RESERVED_HANDLES.has(segment), segment).toBe(true);
  });
});
