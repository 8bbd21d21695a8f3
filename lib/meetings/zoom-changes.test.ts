import { describe, expect, it } from 'vitest';
import { meetingChangeOf } from './zoom-changes';

const booking = {
  status: 'confirmed' as const,
  zoomMeetingId: '9007199254741993123',
  startAt: new Date('2026-12-01T01:00:00Z'),
  meetingChangedInZoom: null as 'deleted' | 'rescheduled' | null,
};

describe('meetingChangeOf', () => {
  it('flags a deletion of the booking meeting (int64 id as a string or number token)', () => {
    expect(meetingChangeOf(booking, 'meeting.deleted', { object: { id: '9007199254741993123' } })).toBe('deleted');
    expect(meetingChangeOf({ ...booking, zoomMeetingId: '85012345678' }, 'meeting.deleted', { object: { id: 85012345678 } })).toBe('deleted');
  });

  it("ignores Aki's own cancel, another meeting, an occurrence and a repeated deletion", () => {
    expect(meetingChangeOf({ ...booking, status: 'cancelled' }, 'meeting.deleted', { object: { id: booking.zoomMeetingId } })).toBe('ignored');
    expect(meetingChangeOf(booking, 'meeting.deleted', { object: { id: '123' } })).toBe('ignored');
    expect(meetingChangeOf(booking, 'meeting.deleted', { object: { id: booking.zoomMeetingId, occurrence_id: '1648194360000' } })).toBe('ignored');
    expect(meetingChangeOf({ ...booking, meetingChangedInZoom: 'deleted' }, 'meeting.deleted', { object: { id: booking.zoomMeetingId } })).toBe('ignored');
  });

  it("flags a time change made in Zoom; Aki's own (same start) and non-time changes are ignored; moving back clears", () => {
    const id = booking.zoomMeetingId;
    expect(meetingChangeOf(booking, 'meeting.updated', { object: { id, start_time: '2026-12-01T02:00:00Z' } })).toBe('rescheduled');
    expect(meetingChangeOf(booking, 'meeting.updated', { object: { id, start_time: '2026-12-01T01:00:00Z' } })).toBe('ignored');
    expect(meetingChangeOf(booking, 'meeting.updated', { object: { id, topic: 'New topic' } })).toBe('ignored');
    expect(meetingChangeOf({ ...booking, meetingChangedInZoom: 'rescheduled' }, 'meeting.updated', { object: { id, start_time: '2026-12-01T01:00:00Z' } })).toBe('cleared');
  });
});
