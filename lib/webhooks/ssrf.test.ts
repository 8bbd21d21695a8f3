import { describe, expect, it } from 'vitest';
import { forbiddenWebhookUrl } from './ssrf';

describe('forbiddenWebhookUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://10.0.0.1/hook', 'private'],
    ['http://192.168.1.20/hook', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'link-local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://[fd12::1]/', 'unique local'],
    ['http://localhost:3000/hook', 'localhost'],
    ['http://api.localhost./hook', 'localhost'],
  ])('refuses %s (%s)', (url, why) => {
    const reason = forbiddenWebhookUrl(url, false);
    expect(reason).toMatch(/^refused: /);
    expect(reason).toContain(why);
    // The self-hoster's switch lets a receiver on the same machine or network through.
    expect(forbiddenWebhookUrl(url, true)).toBeNull();
  });

  it.each(['https://example.com/hooks/aki', 'http://93.184.216.34:8080/x', 'https://[2606:4700::1111]/'])('accepts the public %s', (url) => {
    expect(forbiddenWebhookUrl(url, false)).toBeNull();
  });

  it('refuses what is not an http(s) URL, or carries credentials, whatever the switch', () => {
    for (const allowPrivate of [false, true]) {
      expect(forbiddenWebhookUrl('not a url', allowPrivate)).toBe('not a valid URL');
      expect(forbiddenWebhookUrl('ftp://example.com/x', allowPrivate)).toMatch(/http/);
      expect(forbiddenWebhookUrl('file:///etc/passwd', allowPrivate)).toMatch(/http/);
      expect(forbiddenWebhookUrl('https://user:pw@example.com/', allowPrivate)).toMatch(/password/);
    }
  });
});
