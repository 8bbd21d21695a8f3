'use client';

import { useTranslations } from 'next-intl';
import { FieldIssueText } from '@/components/host/field-issue';
import type { FieldIssue } from '@/lib/booking-pages/schema';
import type { TeamMemberChoice } from '@/lib/teams/editor';
import styles from './team-pages.module.css';

/** The team part of a team page as the editor holds it (the shape of teamSettingsSchema in lib/teams/mutations.ts). */
export type TeamDraft = { kind: 'round_robin' | 'collective'; members: { userId: string; weight: number; scheduleId: string | null }[] };
/** A member the picker offers; `former`: on the page but no longer in the organisation (untick before saving). */
export type TeamMemberOption = TeamMemberChoice & { former?: boolean };

const KINDS = ['round_robin', 'collective'] as const;
const WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** The client's check of the team part (the server's teamSettingsSchema answers the same codes). */
export function teamDraftIssues(draft: TeamDraft): Record<string, FieldIssue> {
  return draft.members.length === 0 ? { members: { code: 'members_required' } } : {};
}

/**
 * The editor's "Team" section: the kind (round-robin: one free member is booked, fairly; collective:
 * everyone must be free) and the member picker (checkboxes in the organisation's order; for
 * round-robin a weight 1–10; each member's hours: the page's, or one of their own schedules).
 */
export function TeamSettingsFields({
  value,
  onChange,
  members,
  issueAt,
}: {
  value: TeamDraft;
  onChange: (next: TeamDraft) => void;
  members: TeamMemberOption[];
  issueAt: (path: string, exact?: boolean) => FieldIssue | undefined;
}) {
  const t = useTranslations('organisation.teams');
  const chosen = new Map(value.members.map((m) => [m.userId, m]));
  const membersIssue = issueAt('members', true);

  const toggle = (userId: string, on: boolean) => {
    if (on) onChange({ ...value, members: [...value.members, { userId, weight: 1, scheduleId: null }] });
    else onChange({ ...value, members: value.members.filter((m) => m.userId !== userId) });
  };
  const patch = (userId: string, change: Partial<TeamDraft['members'][number]>) =>
    onChange({ ...value, members: value.members.map((m) => (m.userId === userId ? { ...m, ...change } : m)) });

  return (
    <>
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>{t('editor.kind')}</legend>
        <div className={styles.kinds} role="radiogroup">
          {KINDS.map((kind) => (
            <label className={styles.kindOption} key={kind} data-testid={`team-kind-${kind}`}>
              <input type="radio" name="teamKind" value={kind} checked={value.kind === kind} onChange={() => onChange({ ...value, kind })} />
              <span>
                <strong>{t(`kinds.${kind}`)}</strong>
                <span className="muted small" style={{ display: 'block', fontWeight: 400 }}>
                  {t(`kindHints.${kind}`)}
                </span>
              </span>
            </label>
          ))}
        </div>
        <FieldIssueText issue={issueAt('kind')} />
      </fieldset>

      <fieldset className={styles.fieldset} aria-invalid={Boolean(membersIssue) || undefined}>
        <legend className={styles.legend}>{t('editor.members')}</legend>
        <p className="muted small" style={{ margin: '0 0 8px' }}>
          {value.kind === 'round_robin' ? t('editor.membersHintRoundRobin') : t('editor.membersHintCollective')}
        </p>
        <ul className={styles.memberPicker} data-testid="team-member-picker">
          {members.map((member) => {
            const picked = chosen.get(member.id);
            const index = value.members.findIndex((m) => m.userId === member.id);
            return (
              <li key={member.id} className={styles.memberChoice} data-testid="team-member-choice" data-picked={picked ? 'true' : 'false'}>
                <label className={styles.memberCheck}>
                  <input
                    type="checkbox"
                    name="members"
                    value={member.id}
                    checked={Boolean(picked)}
                    aria-invalid={Boolean(membersIssue) || undefined}
                    onChange={(e) => toggle(member.id, e.target.checked)}
                  />
                  <span className={styles.memberName}>
                    <bdi>{member.name ?? member.email}</bdi>
                    <span className="muted small" style={{ display: 'block', fontWeight: 400 }}>
                      <bdi>{member.email}</bdi>
                    </span>
                    {member.former ? (
                      <span className="field-error" style={{ display: 'block', fontWeight: 400 }} data-testid="team-member-former">
                        {t('editor.formerMember')}
                      </span>
                    ) : null}
                  </span>
                </label>
                {picked ? (
                  <div className={styles.memberOptions}>
                    {value.kind === 'round_robin' ? (
                      <label className={styles.inline}>
                        <span className="small">{t('editor.weight')}</span>
                        <select
                          name={`weight-${member.id}`}
                          value={String(picked.weight)}
                          onChange={(e) => patch(member.id, { weight: Number(e.target.value) })}
                          aria-invalid={Boolean(issueAt(`members.${index}.weight`)) || undefined}
                        >
                          {WEIGHTS.map((w) => (
                            <option key={w} value={String(w)}>
                              {w}
                            </option>
                          ))}
                        </select>
                      </label>
                    ) : null}
                    {member.schedules.length > 0 ? (
                      <label className={styles.inline}>
                        <span className="small">{t('editor.hours')}</span>
                        <select
                          name={`schedule-${member.id}`}
                          value={picked.scheduleId ?? ''}
                          onChange={(e) => patch(member.id, { scheduleId: e.target.value || null })}
                          aria-invalid={Boolean(issueAt(`members.${index}.scheduleId`)) || undefined}
                        >
                          <option value="">{t('editor.pageHours')}</option>
                          {member.schedules.map((s) => (
                            <option key={s.id} value={s.id}>
                              {s.name}
                            </option>
                          ))}
                        </select>
                      </label>
                    ) : null}
                    <FieldIssueText issue={issueAt(`members.${index}`)} />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
        <p className="muted small" style={{ margin: '8px 0 0' }}>
          {value.kind === 'round_robin' ? t('editor.weightHint') : t('editor.collectiveHint')}
        </p>
        <FieldIssueText issue={membersIssue} />
      </fieldset>
    </>
  );
}
