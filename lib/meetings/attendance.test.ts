import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AttendanceInput, computeAttendance, coveredSeconds, normaliseName, type RestObservation, type SegmentInput } from './attendance-core';

const END = new Date('2031-05-01T10:30:00Z');
const NOW = new Date('2031-05-01T11:00:00Z');
const at = (minutes: number) => new Date(Date.parse('2031-05-01T10:00:00Z') + minutes * 60_000);

const HOST = { zoomUserId: 'zu-host', emails: ['host@zoom.example', 'host@aki.example'] };
let nextId = 1;
function seg(who: Partial<SegmentInput>, join: number | null, leave: number | null): SegmentInput {
  return { id: nextId++, name: '', email: null, zoomUserId: null, registrantId: null, joinAt: join === null ? null : at(join), leaveAt: leave === null ? null : at(leave), ...who };
}
const host = (join: number | null, leave: number | null) => seg({ name: 'Hana Host', zoomUserId: 'zu-host' }, join, leave);
const guest = (join: number | null, leave: number | null, who: Partial<SegmentInput> = { name: 'Gina Guest', email: 'gina@example.com' }) => seg(who, join, leave);

function input(patch: Partial<Omit<AttendanceInput, 'booking'>> & { booking?: Partial<AttendanceInput['booking']> } = {}): AttendanceInput {
  return {
    host: HOST,
    segments: [],
    rest: null,
    previousReason: null,
    now: NOW,
    ...patch,
    booking: {
      isZoom: true,
      cancelled: false,
      meetingStatus: 'created',
      hasMeeting: true,
      endAt: END,
      meetingEndedAt: at(31),
      zoomRegistrantId: null,
      guestEmail: 'Gina@Example.com',
      guestName: 'Gina  Guest',
      ...patch.booking,
    },
  };
}
const rest = (patch: Partial<RestObservation>): RestObservation => ({ at: NOW.toISOString(), pastMeeting: 'found', participantsCount: null, participants: 'listed', listed: 0, ...patch });

describe('computeAttendance', () => {
  it('host and guest present: attended, with the guest facts', () => {
    const result = computeAttendance(input({ segments: [host(0, 31), guest(2, 30)] }));
    expect(result).toMatchObject({ status: 'attended', reason: null, guest: { matchedBy: 'email', firstJoinAt: at(2).toISOString(), totalSeconds: 28 * 60, joins: 1 } });
    expect(Object.values(result.roles).sort()).toEqual(['guest', 'host']);
  });

  it('a rejoin counts twice; the time in the meeting is the sum of the segments', () => {
    const result = computeAttendance(input({ segments: [host(0, 31), guest(2, 10), guest(15, 30)] }));
    expect(result.guest).toMatchObject({ joins: 2, totalSeconds: (8 + 15) * 60, firstJoinAt: at(2).toISOString() });
  });

  it('overlapping segments of the guest (two devices) are not counted twice', () => {
    const result = computeAttendance(input({ segments: [host(0, 31), guest(2, 20), guest(10, 30, { name: 'Gina Guest', email: 'gina@example.com' })] }));
    expect(result.guest).toMatchObject({ joins: 2, totalSeconds: 28 * 60 });
  });

  it('guest no-show, host no-show, nobody', () => {
    expect(computeAttendance(input({ segments: [host(0, 31)] }))).toMatchObject({ status: 'guest_no_show', guest: { joins: 0, totalSeconds: 0, matchedBy: null } });
    expect(computeAttendance(input({ segments: [guest(0, 31)] })).status).toBe('host_no_show');
    expect(computeAttendance(input({ segments: [seg({ name: 'Someone else' }, 0, 5)] })).status).toBe('nobody');
    expect(computeAttendance(input({ rest: rest({ participantsCount: 0 }) })).status).toBe('nobody');
  });

  it('matches the guest by registrant first, then e-mail, then name (and says which)', () => {
    const registrant = computeAttendance(input({ booking: { zoomRegistrantId: 'reg-1' }, segments: [host(0, 31), guest(1, 2, { name: 'iPhone', registrantId: 'reg-1' })] }));
    expect(registrant.guest?.matchedBy).toBe('registrant');
    const email = computeAttendance(input({ segments: [host(0, 31), guest(1, 2, { name: 'G', email: ' GINA@example.com ' })] }));
    expect(email.guest?.matchedBy).toBe('email');
    const name = computeAttendance(input({ segments: [host(0, 31), guest(1, 2, { name: ' gina guest ' })] }));
    expect(name.guest?.matchedBy).toBe('name');
    // The strongest match of all the guest's segments is reported.
    const mixed = computeAttendance(input({ booking: { zoomRegistrantId: 'reg-1' }, segments: [host(0, 31), guest(1, 2, { name: 'Gina Guest' }), guest(3, 4, { name: 'x', registrantId: 'reg-1' })] }));
    expect(mixed.guest?.matchedBy).toBe('registrant');
    const stranger = computeAttendance(input({ segments: [host(0, 31), guest(1, 2, { name: 'Gina', email: 'other@example.com' })] }));
    expect(stranger.status).toBe('guest_no_show');
  });

  it('recognises the host by Zoom user id, Zoom e-mail or Aki e-mail', () => {
    for (const who of [{ zoomUserId: 'zu-host' }, { email: 'HOST@zoom.example' }, { email: 'host@aki.example' }]) {
      const result = computeAttendance(input({ segments: [seg({ name: 'Anyone', ...who }, 0, 30), guest(1, 30)] }));
      expect(result.status).toBe('attended');
    }
  });

  it('is pending until the meeting ended (meeting.ended or the past meeting read), even with people in it', () => {
    expect(computeAttendance(input({ booking: { meetingEndedAt: null }, segments: [host(0, null), guest(1, null)] }))).toMatchObject({ status: 'pending', reason: null });
    expect(computeAttendance(input({ booking: { meetingEndedAt: null }, rest: rest({ participantsCount: 2 }), segments: [host(0, 30), guest(1, 30)] })).status).toBe('attended');
  });

  it("Zoom's quirks: paid plan, one-person meeting, never held, missing scope, nothing read yet", () => {
    expect(computeAttendance(input({ rest: rest({ participants: 'plan_required' }) }))).toMatchObject({ status: 'unknown', reason: 'paid_plan' });
    // …but webhooks work on every plan: their segments decide.
    expect(computeAttendance(input({ rest: rest({ participants: 'plan_required' }), segments: [host(0, 30), guest(1, 30)] })).status).toBe('attended');
    expect(computeAttendance(input({ rest: rest({ participantsCount: 1 }) }))).toMatchObject({ status: 'unknown', reason: 'one_person_meeting' });
    expect(computeAttendance(input({ rest: rest({ participantsCount: 1 }), segments: [host(0, 30)] }))).toMatchObject({ status: 'guest_no_show', reason: 'one_person_meeting' });
    expect(computeAttendance(input({ booking: { meetingEndedAt: null }, rest: rest({ pastMeeting: 'not_started', participants: 'not_read' }) }))).toMatchObject({
      status: 'nobody',
      reason: 'not_started',
    });
    expect(computeAttendance(input({ booking: { meetingEndedAt: null }, rest: rest({ pastMeeting: 'not_found', participants: 'not_read' }) })).status).toBe('pending');
    expect(computeAttendance(input({ booking: { meetingEndedAt: null }, rest: rest({ pastMeeting: 'not_found', participants: 'missing_scope' }) }))).toMatchObject({
      status: 'unknown',
      reason: 'missing_scope',
    });
    expect(computeAttendance(input({ rest: rest({ participants: 'missing_scope' }) }))).toMatchObject({ status: 'unknown', reason: 'missing_scope' });
    expect(computeAttendance(input({ previousReason: 'missing_scope' }))).toMatchObject({ status: 'unknown', reason: 'missing_scope' });
    expect(computeAttendance(input({}))).toMatchObject({ status: 'unknown', reason: 'no_data' });
  });

  it('not a Zoom booking; no meeting ever made', () => {
    expect(computeAttendance(input({ booking: { isZoom: false, hasMeeting: false, meetingStatus: 'none' } }))).toMatchObject({ status: 'unknown', reason: 'not_zoom' });
    expect(computeAttendance(input({ booking: { hasMeeting: false, meetingStatus: 'failed' } }))).toMatchObject({ status: 'unknown', reason: 'meeting_failed' });
    expect(computeAttendance(input({ booking: { hasMeeting: false, meetingStatus: 'pending', meetingEndedAt: null }, now: at(-60) })).status).toBe('pending');
    expect(computeAttendance(input({ booking: { hasMeeting: false, meetingStatus: 'pending', meetingEndedAt: null } }))).toMatchObject({ status: 'unknown', reason: 'meeting_failed' });
  });
});

describe('coveredSeconds', () => {
  it('ignores open and leave-only segments', () => {
    expect(coveredSeconds([{ joinAt: at(0), leaveAt: null }, { joinAt: null, leaveAt: at(5) }])).toBe(0);
  });

  it('equals the measure of the union of the intervals (property)', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 60 })).map(([start, length]) => ({ joinAt: at(start), leaveAt: at(start + length) }));
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 12 }), (segments) => {
        // Minute by minute: a minute is covered when some segment contains it.
        let minutes = 0;
        for (let m = 0; m < 200; m++) if (segments.some((s) => s.joinAt <= at(m) && at(m + 1) <= s.leaveAt)) minutes++;
        expect(coveredSeconds(segments)).toBe(minutes * 60);
        // Order and repetition do not matter.
        expect(coveredSeconds([...segments].reverse().concat(segments))).toBe(minutes * 60);
      }),
    );
  });
});

describe('computeAttendance (properties)', () => {
  const person = fc.constantFrom<Partial<SegmentInput>>(
    { name: 'Hana Host', zoomUserId: 'zu-host' },
    { name: 'Gina Guest', email: 'gina@example.com' },
    { name: 'gina guest' },
    { name: 'Other', email: 'other@example.com' },
  );
  const segment = fc.tuple(person, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })).map(([who, start, length]) => seg(who, start, start + length));

  it('does not depend on the order of the segments, and the guest total never exceeds the meeting span', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 10 }), (segments) => {
        const a = computeAttendance(input({ segments }));
        const b = computeAttendance(input({ segments: [...segments].reverse() }));
        expect(b.status).toBe(a.status);
        expect(b.guest).toEqual(a.guest);
        expect(a.guest?.totalSeconds ?? 0).toBeLessThanOrEqual(60 * 60);
        const roles = new Set(Object.values(a.roles));
        const expected = roles.has('host') && roles.has('guest') ? 'attended' : roles.has('guest') ? 'host_no_show' : roles.has('host') ? 'guest_no_show' : segments.length ? 'nobody' : 'unknown';
        expect(a.status).toBe(expected);
      }),
    );
  });
});

describe('normaliseName', () => {
  it('trims, collapses spaces, lower-cases, folds full-width forms', () => {
    expect(normaliseName('  Gina   GUEST ')).toBe('gina guest');
    expect(normaliseName('Ｇｉｎａ\u3000Guest')).toBe('gina guest');
  });
});
