'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import type { CreateZoomUserResult, MemberMapping, MemberZoomRow } from '@/lib/organisations/zoom-admin';

type ZoomUserOption = { id: string; email: string; name: string };

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** Default Zoom user picker and the per-member table: status, choose a user of the account, create one, map all by email. */
export function ZoomMembers({
  members,
  zoomUsers,
  defaultUser,
  canCreateUsers,
  actions,
}: {
  members: MemberZoomRow[];
  /** null: the account's users could not be listed (the pickers are then hidden). */
  zoomUsers: ZoomUserOption[] | null;
  defaultUser: { id: string; email: string | null } | null;
  canCreateUsers: boolean;
  actions: {
    choose: (userId: string, zoomUserId: string) => Promise<ActionResult<MemberMapping | null>>;
    create: (userId: string) => Promise<ActionResult<CreateZoomUserResult>>;
    setDefault: (zoomUserId: string) => Promise<ActionResult<{ id: string; email: string } | null>>;
    mapAll: () => Promise<ActionResult<{ mapped: number }>>;
  };
}) {
  const t = useTranslations('organisation.zoom');
  const te = useTranslations('organisation.zoom.errors');
  const tc = useTranslations('common');
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<Notice>(null);
  const [defaultChoice, setDefaultChoice] = useState(defaultUser?.id ?? '');
  const [choices, setChoices] = useState<Record<string, string>>(() =>
    Object.fromEntries(members.map((m) => [m.userId, m.mapping === 'chosen' || m.mapping === 'created' ? (m.zoomUserId ?? '') : ''])),
  );

  const failure = (result: { code: string; fields?: Record<string, string> }) => {
    const code = result.fields?.zoomUserId ?? result.code;
    return te.has(code) ? te(code) : te('generic');
  };
  const run = <T,>(action: () => Promise<ActionResult<T>>, ok: (data: T) => string) =>
    startTransition(async () => {
      const result = await action();
      setNotice(result.ok ? { kind: 'ok', text: ok(result.data) } : { kind: 'error', text: failure(result) });
    });

  const userLabel = (user: ZoomUserOption) => (user.name ? `${user.name} <${user.email}>` : user.email);
  const mapped = members.filter((m) => m.zoomUserId || (m.mapping === 'default' && defaultUser)).length;

  return (
    <div className="stack-lg">
      {notice ? (
        <div className={`notice ${notice.kind}`} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="zoom-members-notice">
          {notice.text}
        </div>
      ) : null}

      <section className="card stack" data-testid="zoom-default-user">
        <h2>{t('defaultUser.title')}</h2>
        <p className="muted">{t('defaultUser.hint')}</p>
        {defaultUser ? <p className="small">{t('defaultUser.current', { email: defaultUser.email ?? defaultUser.id })}</p> : null}
        {zoomUsers ? (
          <div className="row">
            <label className="field" style={{ flex: '1 1 240px', minWidth: 0 }}>
              <span className="visually-hidden">{t('defaultUser.title')}</span>
              <select value={defaultChoice} onChange={(e) => setDefaultChoice(e.target.value)} data-testid="zoom-default-user-select">
                <option value="">{t('defaultUser.none')}</option>
                {zoomUsers.map((user) => (
                  <option key={user.id} value={user.id}>
                    {userLabel(user)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="btn" disabled={pending} onClick={() => run(() => actions.setDefault(defaultChoice), () => tc('saved'))} data-testid="zoom-default-user-save">
              {t('defaultUser.save')}
            </button>
          </div>
        ) : (
          <p className="notice warn">{t('members.usersUnavailable')}</p>
        )}
      </section>

      <section className="card stack" data-testid="zoom-members">
        <div className="row-between">
          <h2>{t('members.title')}</h2>
          <button type="button" className="btn small" disabled={pending} onClick={() => run(actions.mapAll, (data) => t('members.mappedCount', { count: data.mapped }))} data-testid="zoom-map-all">
            {t('members.mapAll')}
          </button>
        </div>
        <p className="muted">{t('members.hint')}</p>
        <ul className="list">
          {members.map((member) => {
            const name = member.name ?? member.email;
            const state = member.mapping ?? 'none';
            const effective = member.zoomUserId ? (member.zoomUserEmail ?? member.zoomUserId) : defaultUser ? (defaultUser.email ?? defaultUser.id) : null;
            const problem = member.problem?.startsWith('lookup_failed')
              ? t('members.problems.lookup_failed', { reason: member.problem.split(':')[1] ?? '' })
              : member.problem === 'not_found_by_email'
                ? t('members.problems.not_found_by_email')
                : null;
            return (
              <li key={member.userId} className="stack" style={{ gap: 6 }} data-testid="zoom-member" data-mapping={state}>
                <div className="row-between">
                  <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                    <strong>{name}</strong>
                    <div className="muted small">{member.email}</div>
                  </div>
                  <span className={`badge ${member.zoomUserId ? 'ok' : effective ? 'warn' : 'error'}`}>{t(`members.mapping.${state}`)}</span>
                </div>
                <div className="small" style={{ overflowWrap: 'anywhere' }}>
                  {t('members.zoomUser')}: {effective ?? '—'}
                </div>
                {problem ? <div className="small muted">{problem}</div> : null}
                {!effective ? <div className="small field-error">{t('members.problems.no_default')}</div> : null}
                {zoomUsers ? (
                  <div className="row">
                    <label className="field" style={{ flex: '1 1 220px', minWidth: 0 }}>
                      <span className="visually-hidden">{t('members.choose', { name })}</span>
                      <select
                        value={choices[member.userId] ?? ''}
                        onChange={(e) => setChoices((all) => ({ ...all, [member.userId]: e.target.value }))}
                        data-testid="zoom-member-select"
                      >
                        <option value="">{t('members.automatic')}</option>
                        {zoomUsers.map((user) => (
                          <option key={user.id} value={user.id}>
                            {userLabel(user)}
                          </option>
                        ))}
                      </select>
                    </label>
                    <button
                      type="button"
                      className="btn small"
                      disabled={pending}
                      onClick={() => run(() => actions.choose(member.userId, choices[member.userId] ?? ''), () => tc('saved'))}
                      data-testid="zoom-member-apply"
                    >
                      {t('members.apply')}
                    </button>
                    {canCreateUsers && !member.zoomUserId ? (
                      <button
                        type="button"
                        className="btn small ghost"
                        disabled={pending}
                        onClick={() =>
                          startTransition(async () => {
                            const result = await actions.create(member.userId);
                            if (!result.ok) setNotice({ kind: 'error', text: failure(result) });
                            else if (result.data.created) setNotice({ kind: 'ok', text: t('members.created', { email: result.data.mapping.zoomUserEmail ?? member.email, status: result.data.status }) });
                            else setNotice({ kind: 'error', text: t('members.createRefused', { said: result.data.zoomSaid }) });
                          })
                        }
                        data-testid="zoom-member-create"
                      >
                        {t('members.create')}
                      </button>
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
        <p className="muted small">{t('members.mappedCount', { count: mapped })}</p>
      </section>
    </div>
  );
}
