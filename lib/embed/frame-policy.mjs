/**
 * Which responses another site may put in a frame (read by next.config.mjs's headers(); plain .mjs
 * because the Next config loads it before any TypeScript).
 *
 * Only what a guest goes through in a booking may be framed by any site (the embed snippets): the
 * booking page /{handle}/{slug} or /team/{org}/{slug}, its confirmation …/booked/{uid}, the manage page
 * /booking/{uid} (cancel, reschedule), the confirmation's .ics download and /embed.js. Every other response — host pages, sign-in,
 * settings, the API, Next's own files — keeps refusing framing by other sites (clickjacking).
 */

/**
 * The first path segments of Aki's own routes (app/*, route groups unwrapped): a path that starts with
 * one is never a booking page. lib/embed/frame-policy.test.ts checks the list against app/.
 * A host handle can never be one of them (RESERVED_HANDLES).
 */
export const APP_ROUTE_SEGMENTS = [
  '_next',
  'api',
  'availability',
  'booking',
  'bookings',
  'dashboard',
  'invite',
  'login',
  'mailbox',
  'onboarding',
  'organisation',
  'pages',
  'settings',
  'team',
];

const notAppRoute = `(?!(?:${APP_ROUTE_SEGMENTS.map((s) => s.replace(/[.]/g, '\\.')).join('|')})/)`;

/** The paths (without the leading '/') another site may frame, as one regular expression source. */
export const EMBEDDABLE_PATH = `(?:embed\\.js|booking/[^/]+|(?:team/|${notAppRoute})[^/]+/[^/]+(?:/booked/[^/]+(?:/ics)?)?)`;

/** Header rules for next.config.mjs's headers(): refuse framing by other sites everywhere except the embeddable paths. */
export function frameHeaderRules() {
  return [
    {
      source: `/:path((?!${EMBEDDABLE_PATH}$).*)`,
      headers: [
        { key: 'X-Frame-Options', value: 'SAMEORIGIN' },
        { key: 'Content-Security-Policy', value: "frame-ancestors 'self'" },
      ],
    },
    {
      source: `/:path(${EMBEDDABLE_PATH})`,
      headers: [{ key: 'Content-Security-Policy', value: 'frame-ancestors *' }],
    },
  ];
}
