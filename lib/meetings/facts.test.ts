import { describe, expect, it } from 'vitest';
import { personKey, samePerson } from './facts';

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
