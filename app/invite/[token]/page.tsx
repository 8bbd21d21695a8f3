import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { InviteAcceptance } from '@/components/organisation/invite-acceptance';
import { PublicHeader } from '@/components/ui/public-header';
import { getCurrentHost } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { findInviteByToken, membershipOf } from '@/lib/organisations/queries';

export const metadata: Metadata = { robots: { index: false, follow: false } };

const RANK = { member: 0, admin: 1, owner: 2 } as const;

/**
 * An invitation link (APP_URL/invite/{token}). Signed out: a sign-in link for the invited address
 * that comes back here. Signed in as that address: Join. Signed in as someone else, or already in
 * another organisation: told so. Unknown, used, withdrawn or expired tokens: the not-found page.
 */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findInviteByToken(token);
  if (!invite) notFound();
  const [t, host] = await Promise.all([getTranslations('organisation'), getCurrentHost()]);
  const membership = host ? await membershipOf(host.id) : null;
  const role = t(`members.roles.${invite.role}`);

  let state: 'signed_out' | 'wrong_email' | 'other_organisation' | 'already_here' | 'ready';
  if (!host) state = 'signed_out';
  else if (host.email.trim().toLowerCase() !== invite.email) state = 'wrong_email';
  else if (membership && membership.organisationId !== invite.organisationId) state = 'other_organisation';
  else if (membership && RANK[membership.role] >= RANK[invite.role]) state = 'already_here';
  else state = 'ready';

  return (
    <>
      <PublicHeader />
      <main className="container">
        <section className="card narrow stack" style={{ marginTop: 32 }} data-testid="invite-page" data-state={state}>
          <h1 className="page-title" style={{ marginBottom: 0, overflowWrap: 'anywhere' }}>
            {t('invite.accept.title', { organisation: invite.organisationName })}
          </h1>
          <p style={{ overflowWrap: 'anywhere' }}>
            {t('invite.accept.intro', { inviter: invite.inviterName ?? '', email: invite.email, organisation: invite.organisationName, role })}
          </p>
          <InviteAcceptance
            token={token}
            state={state}
            email={invite.email}
            organisationName={invite.organisationName}
            currentEmail={host?.email ?? null}
            currentOrganisation={membership?.organisationName ?? null}
            demo={env().demo}
          />
        </section>
      </main>
    </>
  );
}
