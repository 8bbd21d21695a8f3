/**
 * The calendar interface. The booking pipeline writes events through it and the slots endpoint
 * asks it for busy times; lib/calendar/google/calendar.ts implements it for Google Calendar.
 */

export type BusyInterval = { start: Date; end: Date };

export type CalendarEventInput = {
  bookingUid: string;
  title: string;
  description: string;
  start: Date;
  end: Date;
  timeZone: string;
  location?: string;
  attendee: { name: string; email: string };
};

export interface HostCalendar {
  readonly provider: 'google';
  createEvent(input: CalendarEventInput): Promise<{ eventId: string }>;
  updateEvent(eventId: string, input: CalendarEventInput): Promise<void>;
  /** Resolves when the event is gone (already deleted counts as success). */
  deleteEvent(eventId: string): Promise<void>;
}

export type BusyLookup = {
  busy: BusyInterval[];
  /** True when the calendar could not be read in time: slots are shown without it and the host is warned. */
  degraded: boolean;
};
