import { describe, expect, it } from 'vitest';
import { bookingPageInputSchema, fieldIssues } from '@/lib/booking-pages/schema';
import { newPageInput } from '@/lib/booking-pages/utils';
import { draftFromInput, inputFromDraft, issueAt, nextReminder, nextWindow, noticeFromMinutes, timeChoices } from './booking-page-draft';

const base = newPageInput({ title: 'Intro', slug: 'intro', timeZone: 'Asia/Tokyo', zoomLinked: false });

describe('booking page editor draft', () => {
  it('round-trips a page through the draft unchanged', () => {
    const page = bookingPageInputSchema.parse({
      ...base,
      location: { type: 'link', url: 'https://meet.example.com/x' },
      dateOverrides: [{ date: '2030-01-01', intervals: [] }],
      minimumNoticeMinutes: 2880,
      slotIntervalMinutes: 15,
      maxBookingsPerDay: 4,
      questions: [{ id: 'topic', label: 'Topic', type: 'select', required: true, options: ['A', 'B'] }],
    });
    expect(bookingPageInputSchema.parse(inputFromDraft(draftFromInput(page)))).toEqual(page);
  });

  it('turns empty numbers into "enter a number" and empty optional numbers into null', () => {
    const draft = draftFromInput(base);
    draft.durationMinutes = '';
    draft.maxBookingsPerDay = '';
    draft.slotIntervalMinutes = '';
    const parsed = bookingPageInputSchema.safeParse(inputFromDraft(draft));
    expect(parsed.success).toBe(false);
    expect(fieldIssues(parsed.error!)).toEqual({ durationMinutes: { code: 'number' } });
  });

  it('converts minimum notice units and select options', () => {
    expect(noticeFromMinutes(240)).toEqual({ value: '4', unit: 'hours' });
    expect(noticeFromMinutes(1440 * 2)).toEqual({ value: '2', unit: 'days' });
    expect(noticeFromMinutes(45)).toEqual({ value: '45', unit: 'minutes' });
    expect(noticeFromMinutes(0)).toEqual({ value: '0', unit: 'minutes' });
    const draft = draftFromInput(base);
    draft.notice = { value: '3', unit: 'days' };
    draft.questions = [{ key: 'k', id: 'q_1', label: 'Plan', type: 'select', required: false, optionsText: ' Basic \n\nPro\n' }];
    const input = inputFromDraft(draft);
    expect(input.minimumNoticeMinutes).toBe(4320);
    expect(input.questions?.[0]?.options).toEqual(['Basic', 'Pro']);
  });

  it('finds issues at or below a path', () => {
    const issues = { 'questions.0.options.1': { code: 'required' }, slug: { code: 'slug_taken' } };
    expect(issueAt(issues, 'questions.0.options')).toEqual({ code: 'required' });
    expect(issueAt(issues, 'slug')).toEqual({ code: 'slug_taken' });
    expect(issueAt(issues, 'questions.1')).toBeUndefined();
  });

  it('offers quarter-hour times through 24:00 and keeps odd values', () => {
    const choices = timeChoices(['09:10']);
    expect(choices[0]).toBe('00:00');
    expect(choices.at(-1)).toBe('24:00');
    expect(choices).toContain('09:10');
    expect(choices).toHaveLength(98);
    expect(nextWindow([])).toEqual({ start: '09:00', end: '17:00' });
    expect(nextWindow([{ start: '09:00', end: '12:00' }])).toEqual({ start: '13:00', end: '14:00' });
    expect(nextWindow([{ start: '20:00', end: '23:30' }])).toEqual({ start: '23:30', end: '24:00' });
  });
});

describe('Zoom page options in the draft', () => {
  it('round-trips them on a Zoom page and sends them off for other locations', () => {
    const zoom = bookingPageInputSchema.parse({ ...base, location: { type: 'zoom' }, registerGuests: true, shareRecordingWithGuest: true });
    const draft = draftFromInput(zoom);
    expect(draft).toMatchObject({ registerGuests: true, shareRecordingWithGuest: true });
    expect(inputFromDraft(draft)).toMatchObject({ registerGuests: true, shareRecordingWithGuest: true });
    draft.location = { ...draft.location, type: 'phone' };
    expect(inputFromDraft(draft)).toMatchObject({ registerGuests: false, shareRecordingWithGuest: false });
    expect(draftFromInput(base)).toMatchObject({ registerGuests: false, shareRecordingWithGuest: false });
  });
});

describe('meeting settings override (organisation Zoom pages)', () => {
  const full = { waitingRoom: true, joinBeforeHost: false, muteUponEntry: true, hostVideo: false, participantVideo: false, autoRecording: 'cloud' as const, passcode: 'none' as const };
  const page = bookingPageInputSchema.parse({ ...base, location: { type: 'zoom' }, meetingSettings: full });

  it('round-trips through the draft, and is dropped when off or for other locations', () => {
    const draft = draftFromInput(page);
    expect(draft.meetingSettings).toEqual(full);
    expect(inputFromDraft(draft).meetingSettings).toEqual(full);
    expect('meetingSettings' in inputFromDraft({ ...draft, meetingSettings: null })).toBe(false);
    expect('meetingSettings' in inputFromDraft({ ...draft, location: { ...draft.location, type: 'phone' } })).toBe(false);
  });

  it('the schema wants every setting, valid', () => {
    expect(bookingPageInputSchema.safeParse({ ...base, location: { type: 'zoom' }, meetingSettings: { waitingRoom: true } }).success).toBe(false);
    expect(bookingPageInputSchema.safeParse({ ...base, location: { type: 'zoom' }, meetingSettings: { ...full, autoRecording: 'tape' } }).success).toBe(false);
    expect(bookingPageInputSchema.safeParse({ ...base, location: { type: 'zoom' }, meetingSettings: null }).success).toBe(true);
  });
});

describe('reminders and follow-up in the draft', () => {
  it('reminders and the follow-up: units, round trip, off, and the codes of bad offsets', () => {
    const draft = draftFromInput(base);
    expect(draft.reminders.map((r) => [r.to, r.value, r.unit])).toEqual([
      ['guest', '1', 'days'],
      ['guest', '1', 'hours'],
    ]);
    expect(draft.followUp).toEqual({ enabled: false, message: '', noShow: 'skip' });
    draft.reminders[1] = { ...draft.reminders[1]!, value: '2' };
    draft.reminders.push({ ...nextReminder(draft.reminders), to: 'host', value: '30', unit: 'minutes' });
    draft.followUp = { enabled: true, message: 'Thanks', noShow: 'sorry' };
    const input = bookingPageInputSchema.parse(inputFromDraft(draft));
    expect(input.reminders).toEqual([
      { to: 'guest', minutesBefore: 1440 },
      { to: 'guest', minutesBefore: 120 },
      { to: 'host', minutesBefore: 30 },
    ]);
    expect(input.followUp).toEqual({ message: 'Thanks', noShow: 'sorry' });
    expect(bookingPageInputSchema.parse(inputFromDraft(draftFromInput(input)))).toEqual(input);
    // Off keeps nothing; a new row never repeats an existing guest offset.
    expect(inputFromDraft({ ...draft, followUp: { ...draft.followUp, enabled: false } }).followUp).toBeNull();
    expect(nextReminder([{ key: 'a', to: 'guest', value: '1', unit: 'hours' }])).toMatchObject({ to: 'guest', value: '2', unit: 'hours' });
    draft.reminders[2] = { ...draft.reminders[2]!, value: '2' };
    draft.reminders.push({ key: 'x', to: 'guest', value: '', unit: 'hours' });
    const parsed = bookingPageInputSchema.safeParse(inputFromDraft(draft));
    expect(fieldIssues(parsed.error!)).toEqual({ 'reminders.2.minutesBefore': { code: 'reminder_too_soon' }, 'reminders.3.minutesBefore': { code: 'number' } });
  });
});
