/**
 * Embedded booking pages (public/embed.js): the snippet opens the page with `?embed=1`, and the guest's
 * pages keep the flag from step to step so the frame never shows Aki's outer chrome (header, language
 * switcher: its cookie would be a third-party cookie inside another site's frame anyway).
 */

/** The query flag embed.js adds to the framed page's address. */
export const EMBED_PARAM = 'embed';

/** The postMessage types between a framed page and embed.js (namespaced: other scripts post messages too). */
export const EMBED_MESSAGES = { height: 'aki:embed:height', close: 'aki:embed:close' } as const;

/** Whether a page's `?embed=` search parameter asks for the embedded layout. */
export const isEmbedRequest = (value: string | string[] | undefined): boolean => (Array.isArray(value) ? value[0] : value) === '1';

/** `href` (an app-relative path, possibly with a query) with the embed flag when `embedded`. */
export function embedHref(href: string, embedded: boolean): string {
  if (!embedded) return href;
  return `${href}${href.includes('?') ? '&' : '?'}${EMBED_PARAM}=1`;
}
