import { describe, expect, it } from 'vitest';
import { bookingPageInputSchema, fieldIssues, PAGE_LIMITS, RESERVED_SLUGS, slugSchema } from './schema';
import { newPageInput } from './utils';

const valid = newPageInput({ title: 'Intro', slug: 'intro', timeZone: 'Asia/Tokyo', zoomLinked: true });
const issuesOf = (candidate: unknown) => {
  const parsed = bookingPageInputSchema.safeParse(candidate);
  return parsed.success ? {} : fieldIssues(parsed.error);
};

describe('booking page schema', () => {
  it('accepts the new-page defaults', () => {
    expect(bookingPageInputSchema.parse(valid)).toEqual(valid);
  });

  it('normalises slugs and refuses reserved and malformed ones', () => {
    expect(slugSchema.parse('  Team-Call ')).toBe('team-call');
    for (const slug of ['-a', 'a-', 'a_b', 'ü', '', 'a'.repeat(65)]) expect(slugSchema.safeParse(slug).success, slug).toBe(false);
    for (const slug of RESERVED_SLUGS) expect(issuesOf({ ...valid, slug })).toEqual({ slug: { code: 'slug_reserved' } });
  });

  it('maps problems to stable codes with their limits', () => {
    expect(
      issuesOf({
        ...valid,
        title: ' ',
        durationMinutes: 2,
        bufferAfterMinutes: 1000,
        description: 'x'.repeat(5001),
        bookingWindowDays: Number.NaN,
        minimumNoticeMinutes: 1.5,
        timeZone: 'Nowhere/Special',
        location: { type: 'link', url: 'ftp://example.com' },
      }),
    ).toEqual({
      title: { code: 'required' },
      durationMinutes: { code: 'too_small', min: 5 },
      bufferAfterMinutes: { code: 'too_big', max: 240 },
      description: { code: 'too_long', max: 5000 },
      bookingWindowDays: { code: 'number' },
      minimumNoticeMinutes: { code: 'number' },
      timeZone: { code: 'time_zone' },
      'location.url': { code: 'url_format' },
    });
  });

  it('reports end-before-start and overlapping windows at the offending window; touching windows are fine', () => {
    const hours = (mon: { start: string; end: string }[]) => ({ ...valid, weeklyHours: { ...valid.weeklyHours, mon } });
    expect(issuesOf(hours([{ start: '12:00', end: '09:00' }]))).toEqual({ 'weeklyHours.mon.0.end': { code: 'end_before_start' } });
    expect(
      issuesOf(
        hours([
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '13:30' },
        ]),
      ),
    ).toEqual({ 'weeklyHours.mon.0.start': { code: 'overlapping_windows' } });
    expect(
      issuesOf(
        hours([
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '24:00' },
        ]),
      ),
    ).toEqual({});
  });

  it('refuses duplicate override dates, duplicate question ids and selects without options', () => {
    expect(
      issuesOf({
        ...valid,
        dateOverrides: [
          { date: '2030-01-01', intervals: [] },
          { date: '2030-01-01', intervals: [] },
        ],
        questions: [
          { id: 'q', label: 'A', type: 'text' },
          { id: 'q', label: 'B', type: 'select', options: [] },
        ],
      }),
    ).toEqual({
      'dateOverrides.1.date': { code: 'duplicate_date' },
      'questions.1.id': { code: 'duplicate_question' },
      'questions.1.options': { code: 'options_required' },
    });
  });

  it('fills days that are left out with no hours', () => {
    const { weeklyHours } = bookingPageInputSchema.parse({ ...valid, weeklyHours: { mon: [{ start: '09:00', end: '10:00' }] } });
    expect(weeklyHours).toEqual({ mon: [{ start: '09:00', end: '10:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] });
  });

  describe('size limits and hostile text', () => {
    const dayOf = (i: number) => {
      const d = new Date(Date.UTC(2030, 0, 1) + i * 86_400_000);
      return d.toISOString().slice(0, 10);
    };
    /** `count` back-to-back 30-minute windows from 00:00. */
    const windows = (count: number) =>
      Array.from({ length: count }, (_, i) => {
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        return { start: hhmm(i * 30), end: hhmm(i * 30 + 30) };
      });

    it('caps windows per day, overrides and override intervals in total, with the limit', () => {
      expect(issuesOf({ ...valid, weeklyHours: { ...valid.weeklyHours, mon: windows(24) } })).toEqual({});
      expect(issuesOf({ ...valid, weeklyHours: { ...valid.weeklyHours, mon: windows(25) } })).toEqual({
        'weeklyHours.mon': { code: 'too_many_windows', max: PAGE_LIMITS.windowsPerDay },
      });
      expect(issuesOf({ ...valid, dateOverrides: [{ date: '2030-01-01', intervals: windows(48) }] })).toEqual({
        'dateOverrides.0.intervals': { code: 'too_many_windows', max: 24 },
      });
      const manyOverrides = Array.from({ length: 401 }, (_, i) => ({ date: dayOf(i), intervals: [] }));
      expect(issuesOf({ ...valid, dateOverrides: manyOverrides })).toEqual({ dateOverrides: { code: 'too_many', max: PAGE_LIMITS.dateOverrides } });
      // 100 overrides × 21 windows = 2,100 intervals: each day is fine, the total is not
      const dense = Array.from({ length: 100 }, (_, i) => ({ date: dayOf(i), intervals: windows(21) }));
      expect(issuesOf({ ...valid, dateOverrides: dense })).toEqual({ dateOverrides: { code: 'too_many_intervals', max: PAGE_LIMITS.overrideIntervals } });
      expect(issuesOf({ ...valid, dateOverrides: dense.slice(0, 95) })).toEqual({});
      const questions = Array.from({ length: 21 }, (_, i) => ({ id: `q${i}`, label: 'Q', type: 'text' }));
      expect(issuesOf({ ...valid, questions })).toEqual({ questions: { code: 'too_many', max: 20 } });
    });

    it('refuses impossible and out-of-range dates in overrides', () => {
      for (const date of ['2026-02-30', '2026-13-01', '2027-02-29', '9999-12-31', '1999-12-31']) {
        expect(issuesOf({ ...valid, dateOverrides: [{ date, intervals: [] }] }), date).toEqual({ 'dateOverrides.0.date': { code: 'date_invalid' } });
      }
      expect(issuesOf({ ...valid, dateOverrides: [{ date: '2028-02-29', intervals: [] }] })).toEqual({});
    });

    it('refuses NUL and other control characters in every free text field (Postgres refuses NUL with a 500)', () => {
      const nul = 'a\u0000b';
      expect(
        issuesOf({
          ...valid,
          title: nul,
          description: nul,
          questions: [
            { id: 'q', label: nul, type: 'select', options: ['ok', nul] },
            { id: 'r', label: 'Line\nbreak', type: 'text' },
          ],
        }),
      ).toEqual({
        title: { code: 'control_characters' },
        description: { code: 'control_characters' },
        'questions.0.label': { code: 'control_characters' },
        'questions.0.options.1': { code: 'control_characters' },
        'questions.1.label': { code: 'control_characters' },
      });
      expect(issuesOf({ ...valid, location: { type: 'in_person', address: nul } })).toEqual({ 'location.address': { code: 'control_characters' } });
      expect(issuesOf({ ...valid, location: { type: 'phone', phone: nul } })).toEqual({ 'location.phone': { code: 'control_characters' } });
      expect(issuesOf({ ...valid, location: { type: 'link', url: `https://example.com/${nul}` } })).toEqual({ 'location.url': { code: 'control_characters' } });
      expect(issuesOf({ ...valid, slug: nul })).toEqual({ slug: { code: 'slug_format' } });
      // line breaks and tabs stay fine in the description
      expect(issuesOf({ ...valid, description: 'First line\r\nSecond\tline' })).toEqual({});
    });
  });
});
