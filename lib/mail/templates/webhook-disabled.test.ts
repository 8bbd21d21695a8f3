import { describe, expect, it } from 'vitest';
import { renderWebhookDisabledMail } from './webhook-disabled';

describe('webhook switched-off mail', () => {
  const base = {
    url: 'https://crm.example.com/hooks/aki?x=<1>',
    failingSince: new Date('2026-12-01T15:30:00Z'),
    lastError: 'HTTP 500',
    settingsUrl: 'https://aki.example/settings/webhooks/abc',
  };

  it('says which webhook, since when (in the host’s zone and clock) and where to fix it', () => {
    const en = renderWebhookDisabledMail({ ...base, locale: 'en', timeZone: 'America/New_York', hour12: null });
    expect(en.subject).toBe('Webhook to crm.example.com switched off after 3 days of failures');
    expect(en.text).toContain('https://crm.example.com/hooks/aki?x=<1>');
    expect(en.text).toContain('10:30 AM');
    expect(en.text).toContain('Last error: HTTP 500');
    expect(en.text).toContain('https://aki.example/settings/webhooks/abc');
    expect(en.html).toContain('x=&lt;1&gt;');
    expect(en.html).toContain('href="https://aki.example/settings/webhooks/abc"');

    const ja = renderWebhookDisabledMail({ ...base, locale: 'ja', timeZone: 'Asia/Tokyo', hour12: null });
    expect(ja.subject).toBe('crm.example.com へのWebhookを停止しました（3日間配信に失敗）');
    expect(ja.text).toContain('0:30');
    expect(ja.text).toContain('最後のエラー: HTTP 500');
    // The host's own clock wins over the language's habit.
    expect(renderWebhookDisabledMail({ ...base, locale: 'ja', timeZone: 'Asia/Tokyo', hour12: true }).text).toMatch(/午前0:30|午前12:30/);
  });
});
