import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairSegments, personKey, samePerson } from './facts';

const person = (p: Partial<Parameters<typeof personKey>[0]>) => ({ name: '', email: null, zoomUserId: null, registrantId: null, ...p });

describe('personKey', () => {
  it('email first, then registrant, then Zoom user, then the normalised name', () => {
    expect(personKey(person({ email: ' Gina@Example.COM ', registrantId: 'r', zoomUserId: 'u', name: 'G' }))).toBe('email:gina@example.com');
    expect(personKey(person({ email: '', registrantId: 'r1', zoomUserId: 'u', name: 'G' }))).toBe('registrant:r1');
    expect(personKey(person({ zoomUserId: 'u1', name: 'G' }))).toBe('user:u1');
    expect(personKey(person({ zoomUserId: '  ', name: '  Gina   Guest ' }))).toBe('name:gina guest');
  });
});

describe('samePerson', () => {
  const row = (p: Partial<Parameters<typeof personKey>[0]>) => ({ ...person(p), name: p.name ?? '', personKey: personKey(person(p)) });
  it('agrees on a key or on an id both sources report', () => {
    expect(samePerson(row({ email: 'a@x.com' }), person({ email: 'A@x.com' }))).toBe(true);
    expect(samePerson(row({ name: 'Ann', registrantId: 'r1' }), person({ name: 'Ann', email: 'a@x.com', registrantId: 'r1' }))).toBe(true);
  });
  it('a webhook without the e-mail the REST list has: same name, nothing disagreeing', () => {
    expect(samePerson(row({ name: 'Ann Lee', email: 'a@x.com' }), person({ name: 'ann  lee' }))).toBe(true);
  });
  it('never merges people whose ids disagree, even with the same name', () => {
    expect(samePerson(row({ name: 'iPhone', email: 'a@x.com' }), person({ name: 'iPhone', email: 'b@x.com' }))).toBe(false);
    expect(samePerson(row({ name: 'iPhone', zoomUserId: 'u1' }), person({ name: 'iPhone', zoomUserId: 'u2' }))).toBe(false);
  });
});

describe('pairSegments', () => {
  const m = (minutes: number) => new Date(Date.UTC(2031, 0, 1, 10, minutes));
  const show = (segments: { joinAt: Date | null; leaveAt: Date | null }[]) =>
    segments.map((s) => [s.joinAt?.getUTCMinutes() ?? null, s.leaveAt?.getUTCMinutes() ?? null]);

  it('pairs each join with the first leave before the next join; open and leave-only segments stay', () => {
    expect(show(pairSegments([m(2), m(15)], [m(10), m(30)]))).toEqual([[2, 10], [15, 30]]);
    expect(show(pairSegments([m(2), m(15)], [m(30)]))).toEqual([[2, null], [15, 30]]);
    expect(show(pairSegments([m(15)], [m(10), m(30)]))).toEqual([[15, 30], [null, 10]]);
    expect(show(pairSegments([], [m(10)]))).toEqual([[null, 10]]);
    // Left and rejoined in the same second.
    expect(show(pairSegments([m(2), m(10)], [m(10), m(20)]))).toEqual([[2, 10], [10, 20]]);
  });

  it('rebuilds any run of non-overlapping segments from its times, however they arrive and however often (property)', () => {
    const run = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 6 })
      .map((gaps) => {
        let at = 0;
        return gaps.map(([gap, length]) => {
          const joinAt = at + gap;
          at = joinAt + length;
          return { joinAt: m(joinAt), leaveAt: m(at) };
        });
      });
    fc.assert(
      fc.property(run, fc.infiniteStream(fc.boolean()), (segments, coin) => {
        const observations = segments.flatMap((s) => [{ join: s.joinAt }, { leave: s.leaveAt }]);
        const shuffled = [...observations].sort(() => (coin.next().value ? 1 : -1));
        const joins: Date[] = [];
        const leaves: Date[] = [];
        for (const o of shuffled) ('join' in o ? joins : leaves).push(o.join ?? o.leave!);
        expect(show(pairSegments(joins, [...leaves, ...leaves]))).toEqual(show(segments));
      }),
    );
  });
});
