import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { apiTokens, users } from '@/lib/db/schema/hosts';
import { isAppError } from '@/lib/errors';
import { authenticateApiToken, createApiToken, revokeApiToken } from './mutations';
import { listApiTokens } from './queries';

async function makeHost(handle: string) {
  const db = await getDb();
  const [host] = await db.insert(users).values({ email: `${handle}@example.com`, handle, timeZone: 'Asia/Tokyo' }).returning();
  return host!;
}

const requestWith = (authorization?: string) =>
  new Request('http://localhost/api/v1/booking-pages', { headers: authorization ? { authorization } : {} });

async function expectUnauthorized(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error) && error.code).toBe('unauthorized');
}

describe('personal API tokens', () => {
  it('stores only the hash, shows a prefix, and authenticates the owner', async () => {
    const host = await makeHost('tok-owner');
    const created = await createApiToken(host.id, '  CI  ');
    expect(created.token).toMatch(/^aki_[A-Za-z0-9_-]{43}$/);

    const db = await getDb();
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.tokenHash).toBe(sha256Hex(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row!.name).toBe('CI');
    expect(created.token.startsWith(row!.displayPrefix.replace('…', ''))).toBe(true);
    expect(row!.lastUsedAt).toBeNull();

    await expect(authenticateApiToken(requestWith(`Bearer ${created.token}`))).resolves.toEqual({ userId: host.id });
    const [used] = await db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(used!.lastUsedAt).toBeInstanceOf(Date);

    const listed = await listApiTokens(host.id);
    expect(listed).toEqual([expect.objectContaining({ id: created.id, name: 'CI', revoked: false })]);
    expect(listed[0]).not.toHaveProperty('tokenHash');
  });

  it('refuses missing, malformed, unknown and revoked tokens', async () => {
    const host = await makeHost('tok-revoke');
    const created = await createApiToken(host.id, 'laptop');
    await expectUnauthorized(authenticateApiToken(requestWith()));
    await expectUnauthorized(authenticateApiToken(requestWith('Basic abc')));
    await expectUnauthorized(authenticateApiToken(requestWith('Bearer not-a-token')));
    await expectUnauthorized(authenticateApiToken(requestWith(`Bearer ${created.token}x`)));
    await expectUnauthorized(authenticateApiToken(requestWith(`Bearer aki_${'A'.repeat(43)}`)));

    await revokeApiToken(host.id, created.id);
    await expectUnauthorized(authenticateApiToken(requestWith(`Bearer ${created.token}`)));
    expect((await listApiTokens(host.id))[0]!.revoked).toBe(true);
  });

  it("cannot revoke another host's token", async () => {
    const owner = await makeHost('tok-a');
    const other = await makeHost('tok-b');
    const created = await createApiToken(owner.id, 'mine');
    await expect(revokeApiToken(other.id, created.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(authenticateApiToken(requestWith(`Bearer ${created.token}`))).resolves.toEqual({ userId: owner.id });
    expect(await listApiTokens(other.id)).toEqual([]);
  });
});
