import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { CreateOrganisationForm } from '@/components/organisation/create-organisation-form';
import { InviteForm } from '@/components/organisation/invite-form';
import { LeaveOrganisation } from '@/components/organisation/leave-organisation';
import { MemberList } from '@/components/organisation/member-list';
import { OrganisationNameForm } from '@/components/organisation/organisation-name-form';
import { PendingInvites } from '@/components/organisation/pending-invites';
import { TeamPageList } from '@/components/organisation/team-page-list';
import { TeamSlugForm } from '@/components/organisation/team-slug-form';
import { requireHost } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { listMembers, listPendingInvites, membershipOf } from '@/lib/organisations/queries';
import { canManage } from '@/lib/organisations/schema';
import { joinInstanceOrganisation } from '@/lib/organisations/service';
import { organisationSlug } from '@/lib/teams/editor';
import { teamPagesOfOrganisation } from '@/lib/teams/queries';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('organisation.overview');
  return { title: t('title') };
}

/**
 * The host's organisation: none → what it is and the create form (hidden on an instance with
 * AKI_ORG_NAME); one → its name, members (everyone), and for owners/admins: rename, roles, removal,
 * invitations and the link to its Zoom account. Everyone sees its team pages and public address;
 * owners/admins set the address and make and edit team pages.
 */
export default async function OrganisationPage() {
  const host = await requireHost();
  await joinInstanceOrganisation(host);
  const [t, membership] = await Promise.all([getTranslations('organisation'), membershipOf(host.id)]);

  if (!membership) {
    const instance = env().instanceOrganisation;
    return (
      <div className="stack">
        <h1 className="page-title">{t('overview.title')}</h1>
        <section className="card stack">
          <p style={{ margin: 0 }}>{t('overview.noneIntro')}</p>
          <p className="muted" style={{ margin: 0 }}>
            {t('overview.inviteHint')}
          </p>
        </section>
        {instance ? (
          <p className="notice info">{t('overview.instanceNone', { name: instance.name })}</p>
        ) : (
          <section className="card stack">
            <h2>{t('overview.createTitle')}</h2>
            <CreateOrganisationForm />
          </section>
        )}
      </div>
    );
  }

  const manager = canManage(membership.role);
  const [members, invites, slug, teamPages] = await Promise.all([
    listMembers(membership.organisationId),
    manager ? listPendingInvites(membership.organisationId) : Promise.resolve([]),
    organisationSlug(membership.organisationId),
    teamPagesOfOrganisation(membership.organisationId),
  ]);
  const appUrl = env().appUrl;
  const memberName = new Map(members.map((member) => [member.userId, member.name ?? member.email]));
  return (
    <div className="stack">
      <div className="row-between">
        <div className="stack" style={{ gap: 4, minWidth: 0 }}>
          <h1 className="page-title" style={{ marginBottom: 0, overflowWrap: 'anywhere' }} data-testid="organisation-name">
            {membership.organisationName}
          </h1>
          <div className="row">
            <span className="badge ok" data-testid="my-role">
              {t('overview.yourRole', { role: t(`members.roles.${membership.role}`) })}
            </span>
            {membership.isInstance ? <span className="badge">{t('overview.instanceBadge')}</span> : null}
          </div>
        </div>
        {manager ? (
          <Link className="btn" href="/organisation/zoom" data-testid="organisation-zoom-link">
            {t('overview.zoomLink')}
          </Link>
        ) : null}
      </div>
      {membership.isInstance ? <p className="muted small">{t('overview.instanceHint')}</p> : null}
      {manager ? <p className="muted small">{t('overview.zoomLinkHint')}</p> : null}

      {manager && !membership.isInstance ? (
        <section className="card stack">
          <OrganisationNameForm name={membership.organisationName} />
        </section>
      ) : null}

      <section className="card stack" data-testid="team-address">
        <h2 style={{ margin: 0 }}>{t('teams.addressTitle')}</h2>
        <p className="muted small" style={{ margin: 0 }}>
          {t('teams.addressHint')}
        </p>
        {manager ? (
          <TeamSlugForm slug={slug} appUrl={appUrl} />
        ) : slug ? (
          <a href={`${appUrl}/team/${slug}`} className="small" style={{ wordBreak: 'break-all' }} data-testid="team-public-url">
            {`${appUrl}/team/${slug}`}
          </a>
        ) : (
          <p className="muted small" style={{ margin: 0 }} data-testid="team-slug-unset">
            {t('teams.slugUnsetMember')}
          </p>
        )}
      </section>

      <section className="card stack">
        <TeamPageList
          orgSlug={slug}
          appUrl={appUrl}
          manager={manager}
          pages={teamPages.flatMap((page) =>
            page.teamKind
              ? [
                  {
                    id: page.id,
                    title: page.title,
                    slug: page.slug,
                    kind: page.teamKind,
                    published: page.published,
                    members: page.memberIds.map((id) => memberName.get(id) ?? '—'),
                  },
                ]
              : [],
          )}
        />
      </section>

      <section className="card stack">
        <div className="row-between">
          <h2 style={{ margin: 0 }}>{t('members.title')}</h2>
          <span className="muted small">{t('members.count', { count: members.length })}</span>
        </div>
        <p className="muted small" style={{ margin: 0 }}>
          {t('members.roleHelp')}
        </p>
        <MemberList
          members={members.map((member) => ({
            userId: member.userId,
            name: member.name,
            email: member.email,
            role: member.role,
            zoomUserEmail: manager ? member.zoomUserEmail : null,
            zoomMapping: manager ? member.zoomMapping : null,
            zoomMappingProblem: manager ? member.zoomMappingProblem : null,
          }))}
          currentUserId={host.id}
          currentRole={membership.role}
          organisationName={membership.organisationName}
          isInstance={membership.isInstance}
        />
      </section>

      {manager ? (
        <section className="card stack">
          <h2>{t('invite.title')}</h2>
          <p className="muted small" style={{ margin: 0 }}>
            {t('invite.intro')}
          </p>
          <InviteForm />
          <h3 style={{ marginBottom: 0 }}>{t('invite.pendingTitle')}</h3>
          <PendingInvites
            timeZone={host.timeZone}
            invites={invites.map((invite) => ({ id: invite.id, email: invite.email, role: invite.role, expiresAt: invite.expiresAt.toISOString(), expired: invite.expired }))}
          />
        </section>
      ) : null}

      {membership.isInstance ? null : (
        <section className="card stack">
          <h2>{t('overview.leaveTitle')}</h2>
          <LeaveOrganisation
            name={membership.organisationName}
            onlyMember={members.length <= 1}
            lastOwner={membership.role === 'owner' && members.length > 1 && members.filter((member) => member.role === 'owner').length <= 1}
          />
        </section>
      )}
    </div>
  );
}
