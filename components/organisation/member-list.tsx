'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import { changeMemberRoleAction, removeMemberAction } from '@/lib/organisations/actions';
import { failureMessage } from './action-error';

type Role = 'owner' | 'admin' | 'member';

export type MemberRow = {
  userId: string;
  name: string | null;
  email: string;
  role: Role;
  zoomUserEmail: string | null;
  zoomMapping: 'email' | 'chosen' | 'created' | 'default' | null;
  zoomMappingProblem: string | null;
};

/**
 * The organisation's members. Everyone sees names and roles; owners and admins also see each
 * member's Zoom user (filled in on the Zoom page) and change roles or remove people — the same rules
 * the server enforces (admins never touch owners; only owners make owners).
 */
export function MemberList({
  members,
  currentUserId,
  currentRole,
  organisationName,
  isInstance,
}: {
  members: MemberRow[];
  currentUserId: string;
  currentRole: Role;
  organisationName: string;
  isInstance: boolean;
}) {
  const t = useTranslations('organisation');
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const manager = currentRole === 'owner' || currentRole === 'admin';

  const run = (action: () => Promise<ActionResult>) =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await action();
        if (!result.ok) setError(failureMessage(t, result));
      } catch {
        setError(t('errors.generic'));
      }
      router.refresh();
    });

  const rolesFor = (member: MemberRow): Role[] => {
    if (!manager) return [];
    if (currentRole === 'owner') return ['owner', 'admin', 'member'];
    return member.role === 'owner' ? [] : ['admin', 'member'];
  };
  const removable = (member: MemberRow) => manager && !isInstance && member.userId !== currentUserId && (member.role !== 'owner' || currentRole === 'owner');

  const zoomText = (member: MemberRow) => {
    if (member.zoomMapping === 'default') return t('members.zoom.default');
    if (member.zoomMapping) return t(`members.zoom.${member.zoomMapping}`, { email: member.zoomUserEmail ?? '' });
    return t('members.zoom.none');
  };

  return (
    <div className="stack">
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
      <ul className="list" data-testid="member-list">
        {members.map((member) => {
          const label = member.name ?? member.email;
          const roles = rolesFor(member);
          return (
            <li key={member.userId} className="row-between" data-testid="member-item" data-email={member.email}>
              <div className="stack" style={{ gap: 2, minWidth: 0, flex: '1 1 220px' }}>
                <strong style={{ overflowWrap: 'anywhere' }}>
                  {label}
                  {member.userId === currentUserId ? <span className="muted small"> ({t('members.you')})</span> : null}
                </strong>
                <span className="muted small" style={{ overflowWrap: 'anywhere' }}>
                  {member.email}
                </span>
                {manager ? (
                  <span className="small" data-testid="member-zoom">
                    <span className="muted">{t('members.zoomUser')}</span> {zoomText(member)}
                    {member.zoomMappingProblem ? (
                      <span className="field-error" style={{ display: 'block' }}>
                        {t('members.zoom.problem', { problem: member.zoomMappingProblem })}
                      </span>
                    ) : null}
                  </span>
                ) : null}
              </div>
              <div className="row">
                {roles.length > 0 ? (
                  <select
                    aria-label={t('members.changeRole', { name: label })}
                    value={member.role}
                    disabled={pending}
                    data-testid="member-role"
                    onChange={(event) => {
                      const role = event.target.value;
                      run(() => changeMemberRoleAction({ userId: member.userId, role }));
                    }}
                  >
                    {roles.map((role) => (
                      <option key={role} value={role}>
                        {t(`members.roles.${role}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className={`badge ${member.role === 'member' ? '' : 'ok'}`} data-testid="member-role-badge">
                    {t(`members.roles.${member.role}`)}
                  </span>
                )}
                {removable(member) ? (
                  <button
                    type="button"
                    className="btn danger small"
                    disabled={pending}
                    onClick={() => {
                      if (window.confirm(t('members.removeConfirm', { name: label, organisation: organisationName }))) run(() => removeMemberAction(member.userId));
                    }}
                  >
                    {t('members.remove')}
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
