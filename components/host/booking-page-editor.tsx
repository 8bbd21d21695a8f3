'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { type ReactNode, useCallback, useEffect, useMemo, useState, useTransition } from 'react';
import { checkSlugAction, deletePageAction, duplicatePageAction, savePageAction, setPublishedAction } from '@/lib/booking-pages/actions';
import type { DateOverride, WeeklyHours } from '@/lib/booking-pages/schema';
import { type BookingPageInput, bookingPageInputSchema, type FieldIssue, type FieldIssues, fieldIssues, type Location } from '@/lib/booking-pages/schema';
import { type Draft, draftFromInput, inputFromDraft, issueAt as findIssue, type NoticeUnit } from './booking-page-draft';
import styles from './booking-page-editor.module.css';
import { FieldIssueText } from './field-issue';
import { TimeZoneSelect } from './time-zone-select';
import { DateOverridesEditor, WeeklyHoursEditor } from './hours-editor';
import { PagePreview } from './page-preview';
import { QuestionsEditor } from './questions-editor';
import { ScheduleSummary } from './schedule-summary';
import { formatWindows, type UiLocale } from './wall-clock';
import { FollowUpEditor, RemindersEditor } from './reminders-editor';
import { type FullMeetingSettings, MeetingSettingsFields } from '@/components/organisation/meeting-settings-fields';
import { type TeamDraft, type TeamMemberOption, TeamSettingsFields, teamDraftIssues } from '@/components/organisation/team-settings-fields';
import { deleteTeamPageAction, saveTeamPageAction } from '@/lib/teams/actions';

import type { TimeZoneChoice } from '@/lib/availability/zone-names';

/** Zoom Basic (free) meetings end after this many minutes (lib/zoom/queries.ts says the same for the server). */
const ZOOM_BASIC_MEETING_MINUTES = 40;
export type { TimeZoneChoice };

export type BookingPageEditorProps = {
  /** null for a page that is not saved yet. */
  pageId: string | null;
  initial: BookingPageInput;
  appUrl: string;
  handle: string;
  timeZones: TimeZoneChoice[];
  /** Whether the host has an active Zoom link (the warning shows when the location is Zoom and this is false). */
  zoomLinked: boolean;
  /** The linked Zoom user is on the free Basic plan: meetings end after 40 minutes. */
  zoomBasic?: boolean;
  /** The Zoom helper's warning (components/host/zoom-warning.tsx); a plain notice is shown when absent. */
  zoomWarning?: ReactNode;
  /** Today in the host's zone (YYYY-MM-DD), the first date offered for a new override. */
  today: string;
  justCreated?: boolean;
  /** The host's organisation has a Zoom account: its meeting defaults (complete), which a Zoom page may override. Absent: no override section. */
  organisationMeetingDefaults?: FullMeetingSettings | null;
  /** The host's shared schedules (oldest first), with the pages using each. */
  schedules: EditorSchedule[];
  /** The host's clock (users.hour12, else the language's habit) for the hours pickers and the preview. */
  hour12: boolean;
  /**
   * A team page of the host's organisation (owners/admins): the extra "Team" section (kind, members),
   * the address /team/{orgSlug}/{slug}, saved by lib/teams/actions.ts; no shared schedule of the
   * admin's, no duplicate, and no preview (free times depend on every member's calendar).
   */
  team?: TeamEditorProps;
};

export type TeamEditorProps = { orgSlug: string | null; initial: TeamDraft; members: TeamMemberOption[] };

export type EditorSchedule = { id: string; name: string; timeZone: string; weeklyHours: WeeklyHours; dateOverrides: DateOverride[]; pageIds: string[] };

const HOURS_EXAMPLE = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];

const DURATION_CHIPS = [15, 30, 45, 60, 90];
const BUFFER_CHOICES = [0, 5, 10, 15, 20, 30, 45, 60, 90, 120];
const INTERVAL_CHOICES = [5, 10, 15, 20, 30, 45, 60, 90, 120];
const LOCATION_TYPES: Location['type'][] = ['zoom', 'phone', 'in_person', 'link'];
/** Problems worth showing while the host is still typing; the rest wait for blur or a save attempt. */
const IMMEDIATE = new Set(['too_many_windows', 'too_many_intervals', 'end_before_start', 'overlapping_windows', 'duplicate_date', 'slug_format', 'slug_reserved', 'slug_taken', 'time_zone']);

const withValue = (choices: number[], current: string) => {
  const n = Number(current);
  return current !== '' && Number.isFinite(n) && !choices.includes(n) ? [...choices, n].sort((a, b) => a - b) : choices;
};

/** The one-page booking page editor: every setting, validation in place, live preview, save/duplicate/unpublish/delete. */
export function BookingPageEditor(props: BookingPageEditorProps) {
  const { appUrl, handle, timeZones, zoomLinked, zoomBasic = false, zoomWarning, today, schedules, hour12 } = props;
  const t = useTranslations('pages.editor');
  const ta = useTranslations('availability');
  const locale = useLocale() as UiLocale;
  const tl = useTranslations('pages.list');
  const tm = useTranslations('organisation.meetingDefaults');
  const tt = useTranslations('organisation.teams');
  const orgMeetingDefaults = props.organisationMeetingDefaults ?? null;
  const router = useRouter();
  const team = props.team ?? null;
  const [pageId] = useState(props.pageId);
  const [draft, setDraft] = useState<Draft>(() => draftFromInput(props.initial));
  const [teamDraft, setTeamDraft] = useState<TeamDraft | null>(() => team?.initial ?? null);
  const [savedJson, setSavedJson] = useState(() => JSON.stringify([inputFromDraft(draftFromInput(props.initial)), team?.initial ?? null]));
  const [savedSlug, setSavedSlug] = useState(props.pageId ? props.initial.slug : null);
  const [serverIssues, setServerIssues] = useState<FieldIssues>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [status, setStatus] = useState<'idle' | 'saved' | 'created' | 'error' | 'not_found'>(props.justCreated ? 'created' : 'idle');
  const [saving, startSaving] = useTransition();
  const [acting, startActing] = useTransition();

  const input = useMemo(() => inputFromDraft(draft), [draft]);
  // The shared schedule the page uses (its hours replace the page's own, which stay in the draft for "custom").
  const schedule = schedules.find((s) => s.id === draft.scheduleId) ?? null;
  const inputJson = useMemo(() => JSON.stringify([input, teamDraft]), [input, teamDraft]);
  const parsed = useMemo(() => bookingPageInputSchema.safeParse(input), [input]);
  const teamIssues = useMemo(() => (teamDraft ? teamDraftIssues(teamDraft) : {}), [teamDraft]);
  const clientIssues = useMemo(() => ({ ...(parsed.success ? {} : fieldIssues(parsed.error)), ...teamIssues }), [parsed, teamIssues]);
  const valid = parsed.success && Object.keys(teamIssues).length === 0;
  const dirty = inputJson !== savedJson;
  const savedPublished = (JSON.parse(savedJson) as [{ published: boolean }])[0].published;

  // Live "slug taken" check, debounced by react-query's key changing only when the slug is well formed.
  const slugCandidate = bookingPageInputSchema.shape.slug.safeParse(draft.slug);
  const slugToCheck = slugCandidate.success && slugCandidate.data !== savedSlug ? slugCandidate.data : null;
  const [debouncedSlug, setDebouncedSlug] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setDebouncedSlug(slugToCheck), 350);
    return () => clearTimeout(timer);
  }, [slugToCheck]);
  const slugCheck = useQuery({
    queryKey: ['slug-taken', debouncedSlug, pageId],
    queryFn: () => checkSlugAction(debouncedSlug!, pageId),
    // A team page's slug is the organisation's to check: the server answers slug_taken on save.
    enabled: debouncedSlug !== null && !team,
    staleTime: 5_000,
  });
  const slugTaken = debouncedSlug !== null && debouncedSlug === slugToCheck && slugCheck.data?.ok === true && slugCheck.data.data.taken;

  const issueAt = useCallback(
    (path: string, exact?: boolean): FieldIssue | undefined => {
      if (path === 'slug' && slugTaken) return { code: 'slug_taken' };
      const server = findIssue(serverIssues, path, exact);
      if (server) return server;
      const issue = findIssue(clientIssues, path, exact);
      if (!issue) return undefined;
      return showAll || touched.has(path) || IMMEDIATE.has(issue.code) ? issue : undefined;
    },
    [clientIssues, serverIssues, showAll, touched, slugTaken],
  );
  const touch = useCallback((path: string) => setTouched((prev) => (prev.has(path) ? prev : new Set(prev).add(path))), []);

  const update = (patch: Partial<Draft>) => {
    setDraft((prev) => ({ ...prev, ...patch }));
    setServerIssues({});
    if (status !== 'idle') setStatus('idle');
  };
  const updateTeam = (next: TeamDraft) => {
    setTeamDraft(next);
    setServerIssues({});
    touch('members');
    if (status !== 'idle') setStatus('idle');
  };

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const focusFirstError = () =>
    requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>('[data-editor] [aria-invalid="true"]');
      el?.focus();
      el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    });

  const save = () => {
    if (!valid || slugTaken) {
      setShowAll(true);
      focusFirstError();
      return;
    }
    startSaving(async () => {
      const result = teamDraft ? await saveTeamPageAction(pageId, input, teamDraft) : await savePageAction(pageId, input);
      if (result.ok) {
        setSavedJson(inputJson);
        setSavedSlug(result.data.slug);
        setServerIssues({});
        if (!pageId) {
          router.replace(teamDraft ? `/organisation/team-pages/${result.data.pageId}?created=1` : `/pages/${result.data.pageId}?created=1`);
          return;
        }
        setStatus('saved');
        return;
      }
      if (result.code === 'not_found') {
        setStatus('not_found');
        return;
      }
      if (result.code !== 'invalid_input') {
        setStatus('error');
        return;
      }
      // The server's field errors carry codes (the schema's own, e.g. slug_taken), translated like the client's.
      setServerIssues(Object.fromEntries(Object.entries(result.fields ?? { _: 'invalid' }).map(([path, code]) => [path, { code }])));
      setShowAll(true);
      focusFirstError();
    });
  };

  const act = (run: () => Promise<void>) =>
    startActing(async () => {
      try {
        await run();
      } catch {
        setStatus('error');
      }
    });

  const duplicate = () =>
    act(async () => {
      if (!pageId) return;
      const result = await duplicatePageAction(pageId);
      if (result.ok) router.push(`/pages/${result.data.pageId}`);
      else setStatus(result.code === 'not_found' ? 'not_found' : 'error');
    });

  const togglePublished = () =>
    act(async () => {
      if (!pageId) return;
      const next = !savedPublished;
      const result = await setPublishedAction(pageId, next);
      if (!result.ok) return setStatus(result.code === 'not_found' ? 'not_found' : 'error');
      setSavedJson((prev) => {
        const [saved, savedTeam] = JSON.parse(prev) as [object, unknown];
        return JSON.stringify([{ ...saved, published: next }, savedTeam]);
      });
      setDraft((prev) => ({ ...prev, published: next }));
    });

  const remove = () =>
    act(async () => {
      if (!pageId || !window.confirm(t('deleteConfirm', { title: draft.title || draft.slug }))) return;
      const result = team ? await deleteTeamPageAction(pageId) : await deletePageAction(pageId);
      if (!result.ok) return setStatus(result.code === 'not_found' ? 'not_found' : 'error');
      setSavedJson(inputJson); // nothing left to warn about
      router.push(team ? '/organisation' : '/dashboard');
    });

  // A personal page lives at /{handle}/{slug}; a team page at /team/{organisation}/{slug} (the organisation sets its address first).
  const base = team ? `${appUrl}/team/${team.orgSlug ?? '…'}` : `${appUrl}/${handle}`;
  const publicUrl = `${base}/${slugCandidate.success ? slugCandidate.data : draft.slug}`;
  const errorCount = valid ? 0 : Object.keys(clientIssues).length;
  const field = (path: string) => ({ 'aria-invalid': Boolean(issueAt(path)) || undefined, onBlur: () => touch(path) });

  return (
    <div data-editor>
      <div className={styles.header}>
        <div>
          <Link href={team ? '/organisation' : '/dashboard'} className={styles.crumb}>
            ← {team ? tt('editor.back') : t('backToDashboard')}
          </Link>
          <div className="row">
            <h1 className="page-title" style={{ margin: 0 }}>
              {team ? (pageId ? tt('editor.editTitle') : tt('editor.newTitle')) : pageId ? t('editTitle') : t('newTitle')}
            </h1>
            {pageId ? (
              <span className={`badge ${savedPublished ? 'ok' : ''}`} data-testid="published-badge">
                {savedPublished ? tl('published') : tl('unpublished')}
              </span>
            ) : null}
          </div>
        </div>
        {pageId ? (
          <div className={styles.actions}>
            {savedPublished && savedSlug && (!team || team.orgSlug) ? (
              <a className="btn small" href={`${base}/${savedSlug}`} target="_blank" rel="noreferrer" data-testid="view-page">
                {t('viewPage')} ↗
              </a>
            ) : null}
            {team ? null : (
              <>
                <button type="button" className="btn small" onClick={duplicate} disabled={acting}>
                  {t('duplicate')}
                </button>
                <button type="button" className="btn small" onClick={togglePublished} disabled={acting}>
                  {savedPublished ? t('unpublish') : t('publish')}
                </button>
              </>
            )}
            <button type="button" className="btn danger small" onClick={remove} disabled={acting} data-testid="delete-page">
              {t('delete')}
            </button>
          </div>
        ) : null}
      </div>

      {status === 'created' ? (
        <div className="notice ok" role="status" style={{ marginBottom: 16 }}>
          {t('saved')}
        </div>
      ) : null}
      {status === 'not_found' ? (
        <div className="notice error" role="alert" style={{ marginBottom: 16 }}>
          {t('notFound')}
        </div>
      ) : null}
      {status === 'error' ? (
        <div className="notice error" role="alert" style={{ marginBottom: 16 }}>
          {t('actionFailed')}
        </div>
      ) : null}

      <div className={styles.layout}>
        <form
          className="stack-lg"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <section className="card stack" aria-labelledby="sec-basics">
            <h2 id="sec-basics">{t('sections.basics')}</h2>
            <label className="field">
              <span>{t('title')}</span>
              <input
                type="text"
                name="title"
                value={draft.title}
                placeholder={t('titlePlaceholder')}
                maxLength={120}
                onChange={(e) => update({ title: e.target.value })}
                {...field('title')}
              />
              <FieldIssueText issue={issueAt('title')} />
            </label>
            <label className="field">
              <span>{t('slug')}</span>
              <div className={`${styles.slugRow} ${issueAt('slug') ? styles.slugRowInvalid : ''}`}>
                <span className={styles.slugPrefix} aria-hidden="true">
                  <bdi>{`${base.replace(/^https?:\/\//, '')}/`}</bdi>
                </span>
                <input
                  type="text"
                  name="slug"
                  value={draft.slug}
                  autoCapitalize="none"
                  autoCorrect="off"
                  spellCheck={false}
                  maxLength={64}
                  onChange={(e) => update({ slug: e.target.value.toLowerCase().replace(/\s+/g, '-') })}
                  {...field('slug')}
                />
              </div>
              <span className="hint">
                {t('publicUrl')}:{' '}
                <span className={styles.url} data-testid="public-url">
                  {publicUrl}
                </span>
              </span>
              {team && !team.orgSlug ? (
                <span className="hint" data-testid="team-address-missing">
                  {tt('editor.addressMissing')}
                </span>
              ) : null}
              <FieldIssueText issue={issueAt('slug')} />
            </label>
            <label className="field">
              <span>{t('description')}</span>
              <textarea name="description" value={draft.description} maxLength={5000} rows={3} onChange={(e) => update({ description: e.target.value })} {...field('description')} />
              <span className="hint">{t('descriptionHint')}</span>
              <FieldIssueText issue={issueAt('description')} />
            </label>
            <div className="field">
              <span id="duration-label">{t('duration')}</span>
              <div className="row">
                <div className={styles.numberWithUnit}>
                  <input
                    type="number"
                    name="durationMinutes"
                    inputMode="numeric"
                    min={5}
                    max={720}
                    step={5}
                    value={draft.durationMinutes}
                    aria-labelledby="duration-label"
                    onChange={(e) => update({ durationMinutes: e.target.value })}
                    {...field('durationMinutes')}
                  />
                  <span className="muted">{t('minutesSuffix')}</span>
                </div>
                <div className={styles.chips}>
                  {DURATION_CHIPS.map((m) => (
                    <button
                      key={m}
                      type="button"
                      className={styles.chip}
                      aria-pressed={draft.durationMinutes === String(m)}
                      onClick={() => update({ durationMinutes: String(m) })}
                    >
                      {m}
                    </button>
                  ))}
                </div>
              </div>
              <FieldIssueText issue={issueAt('durationMinutes')} />
            </div>
          </section>

          {team && teamDraft ? (
            <section className="card stack" aria-labelledby="sec-team" data-testid="team-section">
              <h2 id="sec-team">{tt('editor.section')}</h2>
              <TeamSettingsFields value={teamDraft} onChange={updateTeam} members={team.members} issueAt={issueAt} />
            </section>
          ) : null}

          <section className="card stack" aria-labelledby="sec-location">
            <h2 id="sec-location">{t('sections.location')}</h2>
            <div className={styles.locationGrid} role="radiogroup" aria-labelledby="sec-location">
              {LOCATION_TYPES.map((type) => (
                <label className={styles.locationOption} key={type}>
                  <input
                    type="radio"
                    name="locationType"
                    value={type}
                    checked={draft.location.type === type}
                    onChange={() => update({ location: { ...draft.location, type } })}
                  />
                  {t(`location.${type}`)}
                </label>
              ))}
            </div>
            {draft.location.type === 'zoom' ? (
              <>
                <p className="muted small" style={{ margin: 0 }}>
                  {team ? tt('editor.zoomHint') : t('location.zoomHint')}
                </p>
                <label className={styles.toggle}>
                  <input
                    type="checkbox"
                    name="registerGuests"
                    checked={draft.registerGuests}
                    onChange={(e) => update({ registerGuests: e.target.checked })}
                    data-testid="register-guests"
                  />
                  <span>
                    {t('zoomOptions.registerGuests')}
                    <span className="hint muted small" style={{ display: 'block', fontWeight: 400 }}>
                      {t('zoomOptions.registerGuestsHint')}
                    </span>
                  </span>
                </label>
                <label className={styles.toggle}>
                  <input
                    type="checkbox"
                    name="shareRecordingWithGuest"
                    checked={draft.shareRecordingWithGuest}
                    onChange={(e) => update({ shareRecordingWithGuest: e.target.checked })}
                    data-testid="share-recording"
                  />
                  <span>
                    {t('zoomOptions.shareRecordingWithGuest')}
                    <span className="hint muted small" style={{ display: 'block', fontWeight: 400 }}>
                      {t('zoomOptions.shareRecordingWithGuestHint')}
                    </span>
                  </span>
                </label>
                {orgMeetingDefaults ? (
                  <fieldset className="stack" style={{ border: '1px solid var(--border)', borderRadius: 8, padding: 12, margin: 0 }} data-testid="meeting-override">
                    <legend style={{ fontWeight: 600, padding: '0 4px' }}>{tm('override.title')}</legend>
                    <p className="muted small" style={{ margin: 0 }}>
                      {tm('override.hint')}
                    </p>
                    <label className={styles.toggle}>
                      <input
                        type="checkbox"
                        checked={draft.meetingSettings !== null}
                        onChange={(e) => update({ meetingSettings: e.target.checked ? { ...orgMeetingDefaults } : null })}
                        data-testid="meeting-override-toggle"
                      />
                      <span>{tm('override.enable')}</span>
                    </label>
                    <MeetingSettingsFields
                      idPrefix="page"
                      value={draft.meetingSettings ?? orgMeetingDefaults}
                      disabled={draft.meetingSettings === null}
                      onChange={(meetingSettings) => update({ meetingSettings })}
                    />
                  </fieldset>
                ) : null}
                {zoomLinked
                  ? null
                  : (zoomWarning ?? (
                      <div className="notice warn row-between" data-testid="zoom-not-linked">
                        <span>{t('zoomNotLinked')}</span>
                        <Link className="btn small" href="/settings/integrations">
                          {t('linkZoom')}
                        </Link>
                      </div>
                    ))}
                {zoomLinked && zoomBasic && Number(draft.durationMinutes) > ZOOM_BASIC_MEETING_MINUTES ? (
                  <p className="notice warn" data-testid="zoom-basic-duration">
                    {t('zoomBasicDuration', { minutes: ZOOM_BASIC_MEETING_MINUTES })}
                  </p>
                ) : null}
              </>
            ) : null}
            {draft.location.type === 'phone' ? (
              <label className="field">
                <span>{t('location.phoneNumber')}</span>
                <input
                  type="tel"
                  name="phone"
                  value={draft.location.phone}
                  maxLength={40}
                  onChange={(e) => update({ location: { ...draft.location, phone: e.target.value } })}
                  {...field('location.phone')}
                />
                <span className="hint">{t('location.phoneHint')}</span>
                <FieldIssueText issue={issueAt('location.phone')} />
              </label>
            ) : null}
            {draft.location.type === 'in_person' ? (
              <label className="field">
                <span>{t('location.address')}</span>
                <textarea
                  name="address"
                  rows={2}
                  style={{ minHeight: 64 }}
                  value={draft.location.address}
                  maxLength={300}
                  onChange={(e) => update({ location: { ...draft.location, address: e.target.value } })}
                  {...field('location.address')}
                />
                <FieldIssueText issue={issueAt('location.address')} />
              </label>
            ) : null}
            {draft.location.type === 'link' ? (
              <label className="field">
                <span>{t('location.url')}</span>
                <input
                  type="url"
                  name="url"
                  inputMode="url"
                  placeholder={t('location.urlPlaceholder')}
                  value={draft.location.url}
                  maxLength={500}
                  onChange={(e) => update({ location: { ...draft.location, url: e.target.value } })}
                  {...field('location.url')}
                />
                <FieldIssueText issue={issueAt('location.url')} />
              </label>
            ) : null}
          </section>

          <section className="card stack" aria-labelledby="sec-hours">
            <h2 id="sec-hours">{ta('picker.label')}</h2>
            <p className="muted small" style={{ margin: 0 }}>
              {team ? tt('editor.hoursHint') : ta('picker.hint')}
            </p>
            {team ? null : (
              <div className={styles.schedulePicker}>
                <select
                  name="scheduleId"
                  aria-label={ta('picker.label')}
                  value={schedule ? schedule.id : ''}
                  onChange={(e) => update({ scheduleId: e.target.value || null })}
                  aria-invalid={Boolean(issueAt('scheduleId')) || undefined}
                >
                  {schedules.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                  <option value="">{ta('picker.custom')}</option>
                </select>
                <Link className="btn ghost small" href="/availability">
                  {ta('picker.manage')}
                </Link>
              </div>
            )}
            {team ? null : <FieldIssueText issue={issueAt('scheduleId')} />}
            {schedule ? (
              <div className={styles.scheduleBox} data-testid="schedule-in-use">
                <p style={{ margin: 0 }}>
                  {ta('picker.uses', { name: schedule.name })}{' '}
                  <span className="muted small">{ta('picker.shared', { count: new Set([...schedule.pageIds, pageId ?? 'this page']).size })}</span>
                </p>
                <ScheduleSummary schedule={schedule} hour12={hour12} />
                <div className="row">
                  <Link className="btn small" href={`/availability/${schedule.id}`}>
                    {ta('picker.editSchedule')}
                  </Link>
                  {dirty ? <span className="muted small">{ta('picker.leaveWarning')}</span> : null}
                </div>
              </div>
            ) : (
              <>
                <TimeZoneSelect
                  value={draft.timeZone}
                  onChange={(timeZone) => update({ timeZone })}
                  zones={timeZones}
                  label={t('timeZone')}
                  hint={t('timeZoneHint')}
                  issue={issueAt('timeZone')}
                />
                <p className="muted small" style={{ margin: 0 }}>
                  {t('hoursHint', { example: formatWindows(HOURS_EXAMPLE, locale, hour12) })}
                </p>
                <WeeklyHoursEditor value={draft.weeklyHours} onChange={(weeklyHours) => update({ weeklyHours })} issueAt={issueAt} hour12={hour12} />
              </>
            )}
          </section>

          {schedule ? null : (
            <section className="card stack" aria-labelledby="sec-overrides">
              <h2 id="sec-overrides">{t('sections.overrides')}</h2>
              <p className="muted small" style={{ margin: 0 }}>
                {t('overridesHint')}
              </p>
              <DateOverridesEditor value={draft.dateOverrides} onChange={(dateOverrides) => update({ dateOverrides })} issueAt={issueAt} today={today} hour12={hour12} />
            </section>
          )}

          <section className="card stack" aria-labelledby="sec-limits">
            <h2 id="sec-limits">{t('sections.limits')}</h2>
            <div className={styles.limits}>
              <label className="field">
                <span>{t('bufferBefore')}</span>
                <select name="bufferBeforeMinutes" value={draft.bufferBeforeMinutes} onChange={(e) => update({ bufferBeforeMinutes: e.target.value })}>
                  {withValue(BUFFER_CHOICES, draft.bufferBeforeMinutes).map((m) => (
                    <option key={m} value={String(m)}>
                      {m === 0 ? t('noBuffer') : t('minutesValue', { count: m })}
                    </option>
                  ))}
                </select>
                <FieldIssueText issue={issueAt('bufferBeforeMinutes')} />
              </label>
              <label className="field">
                <span>{t('bufferAfter')}</span>
                <select name="bufferAfterMinutes" value={draft.bufferAfterMinutes} onChange={(e) => update({ bufferAfterMinutes: e.target.value })}>
                  {withValue(BUFFER_CHOICES, draft.bufferAfterMinutes).map((m) => (
                    <option key={m} value={String(m)}>
                      {m === 0 ? t('noBuffer') : t('minutesValue', { count: m })}
                    </option>
                  ))}
                </select>
                <FieldIssueText issue={issueAt('bufferAfterMinutes')} />
              </label>
            </div>
            <p className="muted small" style={{ margin: 0 }}>
              {t('bufferHint')}
            </p>
            <div className={styles.limits}>
              <div className="field">
                <span id="notice-label">{t('minimumNotice')}</span>
                <div className={styles.numberWithUnit}>
                  <input
                    type="number"
                    name="minimumNotice"
                    inputMode="numeric"
                    min={0}
                    value={draft.notice.value}
                    aria-labelledby="notice-label"
                    onChange={(e) => update({ notice: { ...draft.notice, value: e.target.value } })}
                    {...field('minimumNoticeMinutes')}
                  />
                  <select
                    aria-label={t('minimumNotice')}
                    value={draft.notice.unit}
                    onChange={(e) => update({ notice: { ...draft.notice, unit: e.target.value as NoticeUnit } })}
                  >
                    {(['minutes', 'hours', 'days'] as const).map((unit) => (
                      <option key={unit} value={unit}>
                        {t(`units.${unit}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <span className="hint">{t('minimumNoticeHint')}</span>
                <FieldIssueText issue={issueAt('minimumNoticeMinutes')} />
              </div>
              <div className="field">
                <span id="window-label">{t('bookingWindow')}</span>
                <div className={styles.numberWithUnit}>
                  <input
                    type="number"
                    name="bookingWindowDays"
                    inputMode="numeric"
                    min={1}
                    max={365}
                    value={draft.bookingWindowDays}
                    aria-labelledby="window-label"
                    onChange={(e) => update({ bookingWindowDays: e.target.value })}
                    {...field('bookingWindowDays')}
                  />
                  <span className="muted">{t('daysSuffix')}</span>
                </div>
                <span className="hint">{t('bookingWindowHint')}</span>
                <FieldIssueText issue={issueAt('bookingWindowDays')} />
              </div>
              <label className="field">
                <span>{t('slotInterval')}</span>
                <select name="slotIntervalMinutes" value={draft.slotIntervalMinutes} onChange={(e) => update({ slotIntervalMinutes: e.target.value })}>
                  <option value="">{t('sameAsDuration')}</option>
                  {withValue(INTERVAL_CHOICES, draft.slotIntervalMinutes).map((m) => (
                    <option key={m} value={String(m)}>
                      {t('everyMinutes', { count: m })}
                    </option>
                  ))}
                </select>
                <FieldIssueText issue={issueAt('slotIntervalMinutes')} />
              </label>
              <label className="field">
                <span>{t('maxPerDay')}</span>
                <input
                  type="number"
                  name="maxBookingsPerDay"
                  inputMode="numeric"
                  min={1}
                  max={100}
                  value={draft.maxBookingsPerDay}
                  placeholder="—"
                  onChange={(e) => update({ maxBookingsPerDay: e.target.value })}
                  {...field('maxBookingsPerDay')}
                />
                <span className="hint">{t('maxPerDayHint')}</span>
                <FieldIssueText issue={issueAt('maxBookingsPerDay')} />
              </label>
            </div>
          </section>

          <section className="card stack" aria-labelledby="sec-questions">
            <h2 id="sec-questions">{t('sections.questions')}</h2>
            <p className="muted small" style={{ margin: 0 }}>
              {t('questionsHint')}
            </p>
            <QuestionsEditor value={draft.questions} onChange={(questions) => update({ questions })} issueAt={issueAt} onTouch={touch} />
          </section>

          <section className="card stack" aria-labelledby="sec-reminders" data-testid="reminders-section">
            <h2 id="sec-reminders">{t('sections.reminders')}</h2>
            <p className="muted small" style={{ margin: 0 }}>
              {t('remindersHint')}
            </p>
            <RemindersEditor value={draft.reminders} onChange={(reminders) => update({ reminders })} issueAt={issueAt} onTouch={touch} />
            <h3 style={{ margin: '8px 0 0', fontSize: '1rem' }}>{t('sections.followUp')}</h3>
            <FollowUpEditor value={draft.followUp} onChange={(followUp) => update({ followUp })} issueAt={issueAt} />
          </section>

          <section className="card stack" aria-labelledby="sec-visibility">
            <h2 id="sec-visibility">{t('sections.visibility')}</h2>
            <label className={styles.toggle}>
              <input type="checkbox" name="published" checked={draft.published} onChange={(e) => update({ published: e.target.checked })} />
              <span>
                {t('published')}
                <span className="hint muted small" style={{ display: 'block', fontWeight: 400 }}>
                  {t('publishedHint')}
                </span>
              </span>
            </label>
          </section>

          <div className={styles.saveBar}>
            <span className={`${styles.saveStatus} ${showAll && errorCount > 0 ? styles.saveStatusError : ''}`} role="status" data-testid="save-status">
              {saving
                ? t('saving')
                : showAll && (errorCount > 0 || Object.keys(serverIssues).length > 0 || slugTaken)
                  ? t('errorCount', { count: Math.max(errorCount, Object.keys(serverIssues).length, 1) })
                  : dirty
                    ? t('unsaved')
                    : status === 'saved' || status === 'created'
                      ? `✓ ${t('saved')}`
                      : ''}
            </span>
            <button type="submit" className="btn primary" disabled={saving || (Boolean(pageId) && !dirty)}>
              {saving ? t('saving') : pageId ? t('save') : t('create')}
            </button>
          </div>
        </form>

        <aside className={styles.aside}>
          {team ? (
            <div className="card stack" data-testid="team-preview-note">
              <p className="muted small" style={{ margin: 0 }}>
                {tt('editor.previewNote')}
              </p>
            </div>
          ) : (
            <PagePreview pageId={pageId} input={parsed.success ? input : null} timeZone={schedule?.timeZone ?? draft.timeZone} hour12={hour12} />
          )}
        </aside>
      </div>
    </div>
  );
}
