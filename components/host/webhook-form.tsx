'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import { WEBHOOK_EVENT_TYPES } from '@/lib/webhooks/events';
import type { WebhookFormInput } from '@/lib/webhooks/actions';

/** A field error code the form can explain (anything else reads as a generic failure). */
const KNOWN_ERRORS = new Set(['required', 'too_long', 'invalid_url', 'unsupported_scheme', 'credentials_in_url', 'private_address', 'unknown_event', 'control_characters']);

/** next-intl keys cannot contain dots: `booking.created` → `booking_created`. */
export const eventKey = (type: string) => type.replace('.', '_');

/**
 * The webhook's URL, description and events, for "Add webhook" and the subscription page. `submit`
 * is a server action; its field errors are shown next to their fields.
 */
export function WebhookForm({
  initial,
  submitLabel,
  pendingLabel,
  submit,
  onDone,
  testId,
}: {
  initial: WebhookFormInput;
  submitLabel: string;
  pendingLabel: string;
  submit: (input: WebhookFormInput) => Promise<ActionResult<unknown>>;
  /** Called with the action's data after a success; answer true to empty the form. */
  onDone: (data: unknown) => boolean;
  testId: string;
}) {
  const t = useTranslations('settings.webhooks');
  const [url, setUrl] = useState(initial.url);
  const [description, setDescription] = useState(initial.description);
  const [events, setEvents] = useState<string[]>(initial.events);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, startTransition] = useTransition();

  const allChosen = WEBHOOK_EVENT_TYPES.every((type) => events.includes(type));
  const toggle = (type: string, on: boolean) => {
    setEvents((current) => (on ? [...current, type] : current.filter((e) => e !== type)));
    setFields(({ events: _, ...rest }) => rest);
    setSaved(false);
  };
  const fieldError = (name: string) => {
    const code = name === 'events' ? (fields.events ?? Object.entries(fields).find(([k]) => k.startsWith('events.'))?.[1]) : fields[name];
    if (!code) return null;
    const message = name === 'events' && code === 'required' ? t('errors.events_required') : KNOWN_ERRORS.has(code) ? t(`errors.${code}`) : t('errors.generic');
    return (
      <span className="field-error" role="alert" data-testid={`webhook-error-${name}`}>
        {message}
      </span>
    );
  };

  const send = () =>
    startTransition(async () => {
      setFailure(null);
      setSaved(false);
      try {
        const result = await submit({ url, description, events });
        if (!result.ok) {
          if (result.code === 'invalid_input' && result.fields && !result.fields._) setFields(result.fields);
          else setFailure(result.fields?._ === 'too_many_webhooks' ? t('errors.too_many_webhooks') : t('errors.generic'));
          return;
        }
        setFields({});
        if (onDone(result.data)) {
          setUrl('');
          setDescription('');
          setEvents([]);
        } else setSaved(true);
      } catch {
        setFailure(t('errors.generic'));
      }
    });

  return (
    <form
      className="stack"
      noValidate
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label className="field">
        <span>{t('url')}</span>
        <input
          type="url"
          name="url"
          value={url}
          maxLength={2000}
          placeholder="https://example.com/hooks/aki"
          inputMode="url"
          autoComplete="off"
          onChange={(e) => {
            setUrl(e.target.value);
            setFields(({ url: _, ...rest }) => rest);
            setSaved(false);
          }}
          aria-invalid={Boolean(fields.url) || undefined}
        />
        <span className="hint">{t('urlHint')}</span>
        {fieldError('url')}
      </label>
      <label className="field">
        <span>{t('description')}</span>
        <input
          type="text"
          name="description"
          value={description}
          maxLength={200}
          placeholder={t('descriptionPlaceholder')}
          onChange={(e) => {
            setDescription(e.target.value);
            setFields(({ description: _, ...rest }) => rest);
            setSaved(false);
          }}
          aria-invalid={Boolean(fields.description) || undefined}
        />
        {fieldError('description')}
      </label>
      <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 600, fontSize: '0.92rem', marginBottom: 4 }}>{t('eventsLegend')}</legend>
        <label className="row" style={{ gap: 8, alignItems: 'center' }}>
          <input
            type="checkbox"
            name="allEvents"
            checked={allChosen}
            onChange={(e) => {
              setEvents(e.target.checked ? [...WEBHOOK_EVENT_TYPES] : []);
              setFields(({ events: _, ...rest }) => rest);
              setSaved(false);
            }}
          />
          <strong>{t('allEvents')}</strong>
        </label>
        <div className="stack" style={{ gap: 6, paddingLeft: 4 }}>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
              <input type="checkbox" name="events" value={type} checked={events.includes(type)} onChange={(e) => toggle(type, e.target.checked)} style={{ marginTop: 4 }} />
              <span style={{ minWidth: 0 }}>
                <code>{type}</code>
                <br />
                <span className="muted small">{t(`events.${eventKey(type)}`)}</span>
              </span>
            </label>
          ))}
        </div>
        {fieldError('events')}
      </fieldset>
      <div className="row">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
        {saved ? (
          <span className="muted small" role="status">
            {t('saved')}
          </span>
        ) : null}
      </div>
      {failure ? (
        <div className="notice error" role="alert">
          {failure}
        </div>
      ) : null}
    </form>
  );
}
