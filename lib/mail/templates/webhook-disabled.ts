import { escapeHtml } from '@/lib/html';
import type { Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import { formatWhen, habitualHour12, type RenderedMail } from './booking';

/** The host's "your webhook was switched off after 3 days of failed deliveries" mail (texts: mail.webhookDisabled). */
export function renderWebhookDisabledMail(data: {
  locale: Locale;
  timeZone: string;
  hour12: boolean | null;
  url: string;
  failingSince: Date;
  lastError: string | null;
  settingsUrl: string;
}): RenderedMail {
  const t = translator(data.locale, 'mail');
  const since = formatWhen(data.failingSince, data.timeZone, data.locale, data.hour12 ?? habitualHour12(data.locale));
  const body = t('webhookDisabled.body', { url: data.url, since });
  const lastError = data.lastError ? t('webhookDisabled.lastError', { error: data.lastError }) : null;
  const action = t('webhookDisabled.action');
  return {
    subject: t('webhookDisabled.subject', { host: hostOf(data.url) }),
    text: [body, ...(lastError ? ['', lastError] : []), '', action, data.settingsUrl].join('\n'),
    html: [
      `<p>${escapeHtml(body)}</p>`,
      ...(lastError ? [`<p>${escapeHtml(lastError)}</p>`] : []),
      `<p>${escapeHtml(action)}</p>`,
      `<p><a href="${escapeHtml(data.settingsUrl)}">${escapeHtml(t('webhookDisabled.button'))}</a></p>`,
    ].join('\n'),
  };
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};
