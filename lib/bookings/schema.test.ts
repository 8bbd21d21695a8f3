import { describe, expect, it } from 'vitest';
import type { BookingQuestion } from '@/lib/booking-pages/schema';
import { parseBookingInput, validateAnswers } from './schema';

const questions: BookingQuestion[] = [
  { id: 'company', label: 'Company', type: 'text', required: true },
  { id: 'size', label: 'Size', type: 'select', required: false, options: ['1-10', '11-50'] },
  { id: 'notes', label: 'Notes', type: 'multiline', required: false },
  { id: 'tel', label: 'Phone', type: 'phone', required: false },
];

describe('validateAnswers', () => {
  it('enforces required, options, phone format, unknown keys and control characters', () => {
    const { fields } = validateAnswers(questions, { size: '999', tel: 'call me', extra: 'x', notes: 'ok\nmulti' });
    expect(fields).toEqual({ 'answers.company': 'required', 'answers.size': 'invalid_option', 'answers.tel': 'phone_format', 'answers.extra': 'unknown_question' });
    expect(validateAnswers(questions, { company: 'A\u0000B' }).fields).toEqual({ 'answers.company': 'control_characters' });
    expect(validateAnswers(questions, { company: 'A\nB' }).fields).toEqual({ 'answers.company': 'control_characters' });
  });

  it('keeps valid, trimmed answers and drops empty optional ones; HTML is data, not an error', () => {
    const { answers, fields } = validateAnswers(questions, { company: '  <b>ACME</b> ', size: '1-10', notes: '', tel: '+81 3-1234-5678' });
    expect(fields).toEqual({});
    expect(answers).toEqual({ company: '<b>ACME</b>', size: '1-10', tel: '+81 3-1234-5678' });
  });
});

describe('parseBookingInput', () => {
  const ok = { start: '2030-01-01T01:00:00Z', name: ' Sato ', email: 'sato@example.com', timeZone: 'Asia/Tokyo', answers: { company: 'X' } };

  it('parses a good request (offset required on start, locale defaults to en)', () => {
    const result = parseBookingInput(ok, questions);
    expect(result).toEqual({
      ok: true,
      value: { start: new Date('2030-01-01T01:00:00Z'), name: 'Sato', email: 'sato@example.com', timeZone: 'Asia/Tokyo', answers: { company: 'X' }, locale: 'en', hour12: null },
    });
    expect(parseBookingInput({ ...ok, start: '2030-01-01T10:00:00+09:00', locale: 'ja' }, questions).ok).toBe(true);
    // The guest's clock travels with the booking (their mails follow it); anything but a boolean is a field error.
    expect(parseBookingInput({ ...ok, hour12: true }, questions)).toMatchObject({ ok: true, value: { hour12: true } });
    expect(parseBookingInput({ ...ok, hour12: 'yes' }, questions)).toEqual({ ok: false, fields: { hour12: 'invalid_type' } });
  });

  it('reports every bad field at once', () => {
    const result = parseBookingInput({ start: '2030-01-01 10:00', name: 'x'.repeat(121), email: 'a@b', timeZone: 'Asia/Nowhere', locale: 'fr', answers: [] }, questions);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.fields).sort()).toEqual(['answers', 'email', 'locale', 'name', 'start', 'timeZone']);
  });

  it('refuses header/ICS injection in the name', () => {
    const result = parseBookingInput({ ...ok, name: 'Eve\r\nBcc: victim@example.com' }, questions);
    expect(result).toEqual({ ok: false, fields: { name: 'control_characters' } });
  });
});
