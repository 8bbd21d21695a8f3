import { getTranslations } from 'next-intl/server';
import type { ZoomChoiceView } from '@/lib/meetings/zoom-choice';

/**
 * Settings → Integrations → Zoom, for a host whose organisation has a Zoom account: where new meetings
 * come from ("my own Zoom account" / "my organisation's Zoom"), and which Zoom user they are created
 * under. Existing bookings keep the account that made their meeting.
 */
export async function ZoomSourceChoice({ choice, action, outcome }: { choice: ZoomChoiceView; action: (formData: FormData) => Promise<void>; outcome?: string }) {
  if (!choice.organisation) return null;
  const t = await getTranslations('zoom.choice');
  const user = choice.organisationZoomUser;
  return (
    <form action={action} className="stack" data-testid="zoom-source-choice" data-effective={choice.effective}>
      <fieldset className="stack">
        <legend>
          <strong>{t('legend')}</strong>
        </legend>
        <label className="row">
          <input type="radio" name="zoomSource" value="own" defaultChecked={choice.effective === 'own'} data-testid="zoom-source-own" />
          <span>{t('own')}</span>
        </label>
        <label className="row">
          <input type="radio" name="zoomSource" value="organisation" defaultChecked={choice.effective === 'organisation'} data-testid="zoom-source-organisation" />
          <span>{t('organisation', { name: choice.organisation.name })}</span>
        </label>
      </fieldset>
      {choice.effective === 'organisation' ? (
        <p data-testid="zoom-source-current">
          {user
            ? t(user.via === 'default' ? 'createdUnderDefault' : 'createdUnder', { email: user.email ?? '—', name: choice.organisation.name })
            : t('noZoomUser', { name: choice.organisation.name })}
        </p>
      ) : (
        <p data-testid="zoom-source-current">{choice.ownLinked ? t('ownInUse') : t('ownNotLinked')}</p>
      )}
      {choice.chosen === 'own' && choice.effective === 'organisation' ? <p className="muted small">{t('defaultHint')}</p> : null}
      {outcome === 'saved' ? (
        <p className="notice ok" role="status">
          {t('saved')}
        </p>
      ) : outcome === 'invalid' ? (
        <p className="notice error" role="alert">
          {t('invalid')}
        </p>
      ) : null}
      <p className="muted small">{t('existingKeep')}</p>
      <div className="row">
        <button className="btn" type="submit" data-testid="zoom-source-save">
          {t('save')}
        </button>
      </div>
    </form>
  );
}
