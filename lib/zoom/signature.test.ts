import { describe, expect, it } from 'vitest';
import { urlValidationAnswer, verifyZoomSignature, zoomSignature } from './signature';

// Zoom webhook signature docs (self-computed with Python hmac, independent of this code).
const SECRET = 'emulator_secret_token';
const TIMESTAMP = '1700000000';
const BODY =
  '{"event":"meeting.started","payload":{"account_id":"AcctId123","object":{"id":"85746065432","uuid":"4444AAAiAAAAAiAiAiiAii==","host_id":"z8yAAAAA8bbbQ","topic":"Intro call","type":2,"start_time":"2023-11-14T22:13:20Z","timezone":"Europe/Berlin","duration":30}},"event_ts":1700000000123}';
const SIGNATURE = 'v0=d999bb2cc9ee88d0fa6bd26768538a9913ad2073e21a70ead798562c6a5f4edd';
const NOW = 1700000000 * 1000 + 30_000;

describe('zoom webhook signature', () => {
  it('matches the reference vector', () => {
    expect(BODY).toHaveLength(286);
    expect(zoomSignature(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
    expect(verifyZoomSignature({ secret: SECRET, timestamp: TIMESTAMP, signature: SIGNATURE, rawBody: BODY, nowMs: NOW })).toEqual({ ok: true });
  });

  it('answers URL validation like the reference', () => {
    expect(urlValidationAnswer(SECRET, 'qgg8vlvZRS6UYooatFL8Aw')).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: 'a11cd22998d9f4048b82c0e2ff599641496000bfcacafb36f18468aa97ced7d3',
    });
  });

  it('refuses a changed body, a wrong secret, a malformed header', () => {
    const base = { secret: SECRET, timestamp: TIMESTAMP, signature: SIGNATURE, rawBody: BODY, nowMs: NOW };
    expect(verifyZoomSignature({ ...base, rawBody: BODY.replace('Intro', 'intro') })).toEqual({ ok: false, reason: 'mismatch' });
    // re-serialised JSON (pretty printed) is a different byte string
    expect(verifyZoomSignature({ ...base, rawBody: JSON.stringify(JSON.parse(BODY), null, 1) })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyZoomSignature({ ...base, secret: 'other' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyZoomSignature({ ...base, signature: SIGNATURE.slice(0, -1) })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyZoomSignature({ ...base, signature: null })).toEqual({ ok: false, reason: 'missing' });
    expect(verifyZoomSignature({ ...base, timestamp: 'abc' })).toEqual({ ok: false, reason: 'missing' });
    expect(verifyZoomSignature({ ...base, secret: '' })).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuses timestamps more than 5 minutes old (or ahead)', () => {
    const base = { secret: SECRET, timestamp: TIMESTAMP, signature: SIGNATURE, rawBody: BODY };
    expect(verifyZoomSignature({ ...base, nowMs: 1700000000 * 1000 + 300_000 })).toEqual({ ok: true });
    expect(verifyZoomSignature({ ...base, nowMs: 1700000000 * 1000 + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyZoomSignature({ ...base, nowMs: 1700000000 * 1000 - 301_000 })).toEqual({ ok: false, reason: 'stale' });
  });
});
