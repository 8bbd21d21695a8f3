import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { BookingQuestion, Location } from '@/lib/booking-pages/schema';
import { getDb } from '@/lib/db/client';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { users } from '@/lib/db/schema/hosts';
import { env } from '@/lib/env';
import { type OutboxEntry, readOutbox } from '@/lib/mail/transport';

/** Test helpers for the booking pipeline: fixtures, slot times, the outbox's raw messages, an RFC 5545 checker. */

let counter = 0;

export async function makeHost(options: { timeZone?: string; locale?: 'ja' | 'en'; name?: string } = {}) {
  counter++;
  const db = await getDb();
  const tag = `${process.pid}x${counter}x${Math.random().toString(36).slice(2, 6)}`;
  const [host] = await db
    .insert(users)
    .values({
      email: `host-${tag}@example.com`,
      handle: `host-${tag}`,
      name: options.name ?? `Host ${counter}`,
      timeZone: options.timeZone ?? 'Asia/Tokyo',
      locale: options.locale ?? 'en',
    })
    .returning();
  return host!;
}

const ALL_DAY = [{ start: '00:00', end: '24:00' }];

export async function makePage(
  userId: string,
  options: { slug?: string; location?: Location; questions?: BookingQuestion[]; durationMinutes?: number; bufferAfterMinutes?: number; maxBookingsPerDay?: number | null } = {},
) {
  counter++;
  const db = await getDb();
  const [page] = await db
    .insert(bookingPages)
    .values({
      userId,
      slug: options.slug ?? `page-${counter}`,
      title: `Intro call ${counter}`,
      durationMinutes: options.durationMinutes ?? 30,
      location: options.location ?? { type: 'zoom' },
      // Open around the clock (UTC), so tests pick any future half hour.
      timeZone: 'UTC',
      weeklyHours: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
      bookingWindowDays: 365,
      bufferAfterMinutes: options.bufferAfterMinutes ?? 0,
      maxBookingsPerDay: options.maxBookingsPerDay ?? null,
      questions: options.questions ?? [],
    })
    .returning();
  return page!;
}

/** A half-hour slot start `index` half hours after tomorrow 00:00 UTC (pages from makePage are open all day). */
export function slotStart(index: number, base: Date = new Date()): Date {
  const day = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate() + 2));
  return new Date(day.getTime() + index * 30 * 60_000);
}

export async function outbox(): Promise<OutboxEntry[]> {
  return readOutbox();
}

export async function outboxFor(to: string): Promise<OutboxEntry[]> {
  return (await readOutbox()).filter((m) => m.to === to);
}

/** The raw RFC 822 message of an outbox entry. */
export async function rawMessage(entry: OutboxEntry): Promise<string> {
  return fs.readFile(path.join(env().mail.outboxDir, `${entry.id}.eml`), 'utf8');
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i]!;
    if (c === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Every text/calendar part of a raw message, decoded. */
export function calendarParts(raw: string): string[] {
  const lines = raw.split(/\r?\n/);
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^content-type:\s*text\/calendar/i.test(lines[i]!)) continue;
    // headers of this part
    let encoding = '7bit';
    let j = i;
    while (j < lines.length && lines[j] !== '') {
      const m = /^content-transfer-encoding:\s*(\S+)/i.exec(lines[j]!);
      if (m) encoding = m[1]!.toLowerCase();
      j++;
    }
    const body: string[] = [];
    j++;
    while (j < lines.length && !lines[j]!.startsWith('--')) body.push(lines[j++]!);
    const text = body.join('\n');
    if (encoding === 'base64') parts.push(Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8'));
    else if (encoding === 'quoted-printable') parts.push(decodeQuotedPrintable(body.join('\r\n')));
    else parts.push(body.join('\r\n'));
    i = j;
  }
  return parts;
}

export type ParsedIcs = {
  method: string | null;
  events: { props: Record<string, string>; params: Record<string, string>; attendees: string[] }[];
};

/**
 * A strict-enough RFC 5545 reader for tests: CRLF line ends, lines ≤ 75 octets, folding, balanced
 * BEGIN/END, well-formed content lines (name *(";" param) ":" value) with quoted parameter values
 * free of DQUOTE and control characters, VERSION/PRODID, UID/DTSTAMP/DTSTART per VEVENT.
 * Throws with a reason when something is off.
 */
export function parseIcs(text: string): ParsedIcs {
  if (!text.endsWith('\r\n')) throw new Error('does not end with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    if (line.includes('\n') || line.includes('\r')) throw new Error(`bare LF/CR in line: ${JSON.stringify(line)}`);
    if (Buffer.byteLength(line, 'utf8') > 75) throw new Error(`line longer than 75 octets: ${line}`);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (logical.length === 0) throw new Error('continuation at start');
      logical[logical.length - 1] += line.slice(1);
    } else logical.push(line);
  }
  const stack: string[] = [];
  const result: ParsedIcs = { method: null, events: [] };
  let current: ParsedIcs['events'][number] | null = null;
  const calendarProps = new Set<string>();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the grammar excludes control characters
  const contentLine = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*)(?:,(?:"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*))*)*):(.*)$/;
  for (const line of logical) {
    const m = contentLine.exec(line);
    if (!m) throw new Error(`malformed content line: ${line}`);
    const name = m[1]!.toUpperCase();
    const params = m[2] ?? '';
    const value = m[3] ?? '';
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking for control characters
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new Error(`control character in value: ${line}`);
    if (name === 'BEGIN') {
      stack.push(value);
      if (value === 'VEVENT') current = { props: {}, params: {}, attendees: [] };
      continue;
    }
    if (name === 'END') {
      if (stack.pop() !== value) throw new Error(`unbalanced END:${value}`);
      if (value === 'VEVENT' && current) {
        for (const required of ['UID', 'DTSTAMP', 'DTSTART']) if (!(required in current.props)) throw new Error(`VEVENT without ${required}`);
        result.events.push(current);
        current = null;
      }
      continue;
    }
    if (stack.length === 0) throw new Error(`property outside VCALENDAR: ${line}`);
    if (current) {
      if (name === 'ATTENDEE') current.attendees.push(value);
      if (name in current.props && name !== 'ATTENDEE') throw new Error(`duplicate ${name}`);
      current.props[name] = value;
      current.params[name] = params;
    } else {
      calendarProps.add(name);
      if (name === 'METHOD') result.method = value;
    }
  }
  if (stack.length !== 0) throw new Error('unclosed component');
  for (const required of ['VERSION', 'PRODID']) if (!calendarProps.has(required)) throw new Error(`VCALENDAR without ${required}`);
  return result;
}

/** RFC 5545 TEXT value → plain text. */
export const unescapeIcsText = (value: string) =>
  value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/**
 * SQL inserting a copy of booking `uid` moved to `start` (new id and uid, no idempotency key), for tests
 * that hold it uncommitted in a transaction of their own while a booking runs on another connection.
 */
export function copyBookingTo(uid: string, start: Date) {
  const shift = sql`(${start.toISOString()}::timestamptz - b.start_at)`;
  return sql`
    insert into bookings select (jsonb_populate_record(null::bookings, to_jsonb(b) || jsonb_build_object(
      'id', gen_random_uuid()::text, 'uid', 'held-' || substr(md5(random()::text), 1, 12), 'idempotency_key', null,
      'start_at', b.start_at + ${shift}, 'end_at', b.end_at + ${shift},
      'blocked_start_at', b.blocked_start_at + ${shift}, 'blocked_end_at', b.blocked_end_at + ${shift}))).*
    from bookings b where b.uid = ${uid}`;
}
