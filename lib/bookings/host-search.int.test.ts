import { describe, expect, it } from 'vitest';
import { createBooking, listHostBookings } from './service';
import { makeHost, makePage, slotStart } from './testing';

/** The host's bookings list search (issue 14): words in guest name, email or title; one page; a start-date range. */

describe('listHostBookings search', () => {
  it('finds by words (any order, case-insensitive, LIKE wildcards literal), by page and by date range, within the tab', async () => {
    const host = await makeHost();
    const other = await makeHost();
    const pageA = await makePage(host.id, { location: { type: 'phone' } });
    const pageB = await makePage(host.id, { location: { type: 'phone' } });
    const book = (page: typeof pageA, index: number, name: string, email: string) =>
      createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(index).toISOString(), name, email, timeZone: 'UTC' });
    const ann = await book(pageA, 2, 'Ann Lee', 'ann@example.com');
    const bob = await book(pageB, 60, 'Bob Sato', 'bob_sato@corp.example');
    const carl = await book(pageA, 120, '50% Carl', 'carl@example.com');
    const strangerPage = await makePage(other.id, { location: { type: 'phone' } });
    await createBooking({ handle: other.handle!, slug: strangerPage.slug, start: slotStart(2).toISOString(), name: 'Ann Lee', email: 'ann@example.com', timeZone: 'UTC' });

    const uids = async (search: Parameters<typeof listHostBookings>[1]['search']) =>
      (await listHostBookings(host.id, { scope: 'upcoming', search })).map((b) => b.uid);
    expect(await uids({})).toEqual([ann.uid, bob.uid, carl.uid]);
    expect(await uids({ text: 'ann' })).toEqual([ann.uid]);
    expect(await uids({ text: 'LEE ann' })).toEqual([ann.uid]);
    expect(await uids({ text: 'corp.example' })).toEqual([bob.uid]);
    // `_` and `%` are literal: "b_s" matches only bob_sato, "50%" only Carl
    expect(await uids({ text: 'b_s' })).toEqual([bob.uid]);
    expect(await uids({ text: '50%' })).toEqual([carl.uid]);
    expect(await uids({ text: pageB.title })).toEqual([bob.uid]);
    expect(await uids({ pageId: pageA.id })).toEqual([ann.uid, carl.uid]);
    expect(await uids({ from: slotStart(50), to: slotStart(100) })).toEqual([bob.uid]);
    expect(await uids({ text: 'nobody' })).toEqual([]);
    // Another host's booking never shows, whatever the search.
    expect(await uids({ text: 'ann@example.com' })).toEqual([ann.uid]);
  });
});
