import { describe, expect, it } from 'vitest';
import { bookingPageInputSchema, fieldIssues, RESERVED_SLUGS, slugSchema } from './schema';
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
});
