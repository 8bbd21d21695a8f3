import createNextIntlPlugin from 'next-intl/plugin';
import { frameHeaderRules } from './lib/embed/frame-policy.mjs';

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite must load its WASM and extension files from node_modules, not from a bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'googleapis', 'google-auth-library', 'nodemailer'],
  poweredByHeader: false,
  experimental: {
    serverActions: {
      // Set on purpose (Next's default is also 1 MB): the largest action body is a booking page at
      // the schema's limits (lib/booking-pages/schema.ts), far below this; the same cap as the host API
      // (BODY_LIMITS.hostApi in lib/http.ts). Next refuses bigger bodies while reading them.
      bodySizeLimit: '1mb',
    },
    // proxy.ts runs for server actions, and Next then copies the request body in memory (default
    // 10 MB) so both the proxy and the action can read it. No action body may exceed 1 MB anyway.
    proxyClientMaxBodySize: '1mb',
  },
  // Build-tool setting, not app config: lets several dev servers / e2e runs share one checkout.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Only the guest's booking pages (and embed.js) may be framed by other sites: lib/embed/frame-policy.mjs.
  async headers() {
    return frameHeaderRules();
  },
};

export default withNextIntl(nextConfig);
