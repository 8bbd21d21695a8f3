import { type NextRequest, NextResponse } from 'next/server';
import { AppError } from '@/lib/errors';
import { errorResponse } from '@/lib/http';
import { unusablePathSegment } from '@/lib/text-input';

/**
 * Next 16's request proxy (formerly middleware), for two things Next answers with a bare 500:
 *
 * - A path Next cannot decode (`/demo/%zz`) or whose segments decode to control characters
 *   (`/demo/a%00b`): Next's router throws while matching a dynamic route. API paths get our JSON 404,
 *   pages the app's not-found page (a rewrite to a path no route matches).
 * - A server action posted from another origin: Next refuses it (CSRF) but with status 500. The same
 *   comparison Next makes (Origin host against X-Forwarded-Host, else Host) answers 403 here first.
 *   No `serverActions.allowedOrigins` is configured, so no other origin is allowed.
 *
 * The matcher keeps it off every other request: a proxy makes Next buffer the request body so both
 * it and the route can read it, and Aki's routes cap bodies themselves while streaming them.
 */
export const config = {
  matcher: [
    // Only Aki's handles, slugs, ids and tokens appear in paths, and none contains a '%'.
    { source: '/:path(.*%.*)' },
    { source: '/:path*', has: [{ type: 'header', key: 'next-action' }] },
  ],
};

function decodedSegments(pathname: string): string[] | null {
  try {
    return pathname.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

function notFound(request: NextRequest): Response {
  if (request.nextUrl.pathname.startsWith('/api/')) return errorResponse(new AppError('not_found', 'Not found'));
  // No route matches a single unknown segment, so Next renders app/not-found.tsx with a 404.
  return NextResponse.rewrite(new URL('/not-found-path', request.url));
}

function isForeignOrigin(request: NextRequest): boolean {
  const origin = request.headers.get('origin');
  if (!origin) return false; // Next lets these through too (no browser sends an action without one)
  let originHost: string;
  try {
    originHost = origin === 'null' ? 'null' : new URL(origin).host;
  } catch {
    return true;
  }
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host');
  return !host || originHost !== host;
}

export function proxy(request: NextRequest): Response {
  if (request.method === 'POST' && request.headers.has('next-action') && isForeignOrigin(request)) {
    return errorResponse(new AppError('forbidden', 'Cross-origin server action refused'));
  }
  const raw = request.nextUrl.pathname;
  if (raw.includes('%')) {
    const segments = decodedSegments(raw);
    if (!segments || segments.some((segment, i) => i > 0 && segment !== '' && unusablePathSegment(segment))) return notFound(request);
  }
  return NextResponse.next();
}
