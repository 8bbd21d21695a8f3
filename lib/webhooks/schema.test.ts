import { describe, expect, it } from 'vitest';
import { createWebhookSchema, forbiddenWebhookUrl, updateWebhookSchema } from './schema';

describe('webhook input', () => {
  it('refuses non-http(s), credentials and, unless allowed, local and private targets', () => {
    expect(forbiddenWebhookUrl('https://example.com/hooks', false)).toBeNull();
    expect(forbiddenWebhookUrl('http://93.184.216.34:8080/x', false)).toBeNull();
    expect(forbiddenWebhookUrl('http://[2606:4700::1111]/', false)).toBeNull();
    expect(forbiddenWebhookUrl('example.com/hooks', false)).toBe('invalid_url');
    expect(forbiddenWebhookUrl('file:///etc/passwd', true)).toBe('unsupported_scheme');
    expect(forbiddenWebhookUrl('https://a:b@example.com/', true)).toBe('credentials_in_url');
    for (const url of ['http://127.0.0.1/', 'http://LOCALHOST:3000/', 'http://192.168.1.10/', 'http://172.16.0.1/', 'http://100.64.0.1/', 'http://[fe80::1]/', 'http://[fd00::1]/', 'http://[::ffff:10.0.0.1]/']) {
      expect(forbiddenWebhookUrl(url, false), url).toBe('private_address');
      expect(forbiddenWebhookUrl(url, true), url).toBeNull();
    }
  });

  it('keeps known events once each in the listed order and names unknown ones by position', () => {
    const schema = createWebhookSchema(false);
    expect(schema.parse({ url: ' https://example.com ', events: ['recording.ready', 'booking.created', 'recording.ready'] })).toEqual({
      url: 'https://example.com',
      events: ['booking.created', 'recording.ready'],
      description: '',
    });
    const failed = schema.safeParse({ url: 'https://example.com', events: ['booking.created', 'booking.nope'] });
    expect(failed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['events.1', 'unknown_event']]);
    expect(updateWebhookSchema(false).parse({})).toEqual({});
    expect(updateWebhookSchema(false).safeParse({ status: 'on' }).error?.issues[0]?.message).toBe('invalid_status');
  });
});
