import { escapeHtml } from '@/lib/html';
import type { Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import type { RenderedMail } from './booking';

/** The host's "your link stopped working" mails (texts in the zoom / google message namespaces). */

const BUTTON_STYLE = 'display:inline-block;padding:10px 18px;background:#0f766e;color:#fff;border-radius:6px;text-decoration:none';

/** Zoom: `reason` is the stored revoke reason (app_deauthorized, or an expired/replaced grant). */
export function renderZoomRevokedMail(data: { locale: Locale; reason: string; settingsUrl: string }): RenderedMail {
  const t = translator(data.locale, 'zoom');
  const url = data.settingsUrl;
  const why = t(data.reason === 'app_deauthorized' ? 'mail.revoked.whyDeauthorized' : 'mail.revoked.whyExpired');
  return {
    subject: t('mail.revoked.subject'),
    text: `${t('mail.revoked.intro')}\n\n${why}\n\n${t('mail.revoked.action')}\n${url}`,
    html: `<p>${escapeHtml(t('mail.revoked.intro'))}</p><p>${escapeHtml(why)}</p><p>${escapeHtml(t('mail.revoked.action'))}</p><p><a href="${escapeHtml(url)}" style="${BUTTON_STYLE}">${escapeHtml(t('mail.revoked.button'))}</a></p>`,
  };
}

/** Google: `account` is the Google address the link was to (or "Google" when unknown). */
export function renderGoogleRevokedMail(data: { locale: Locale; hostName: string; account: string; settingsUrl: string }): RenderedMail {
  const t = translator(data.locale, 'google');
  const { account, settingsUrl } = data;
  const lines = [t('mail.revoked.greeting', { name: data.hostName }), '', t('mail.revoked.body', { account }), '', t('mail.revoked.effects'), '', t('mail.revoked.action'), settingsUrl];
  return {
    subject: t('mail.revoked.subject'),
    text: lines.join('\n'),
    html: [
      `<p>${escapeHtml(t('mail.revoked.greeting', { name: data.hostName }))}</p>`,
      `<p>${escapeHtml(t('mail.revoked.body', { account }))}</p>`,
      `<p>${escapeHtml(t('mail.revoked.effects'))}</p>`,
      `<p><a href="${escapeHtml(settingsUrl)}">${escapeHtml(t('mail.revoked.action'))}</a></p>`,
    ].join('\n'),
  };
}
