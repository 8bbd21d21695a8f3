import { getTranslations } from 'next-intl/server';
import { ProfileForm } from '@/components/host/profile-form';
import { SettingsTabs } from '@/components/host/settings-tabs';
import { signOutAction } from '@/lib/auth/actions';
import { requireHost } from '@/lib/auth/session';
import { timeZoneChoices } from '@/lib/availability/zone-names';
import { env } from '@/lib/env';
import { saveProfile } from '@/lib/hosts/actions';

export default async function ProfileSettingsPage() {
  const host = await requireHost();
  const t = await getTranslations('settings');
  const tn = await getTranslations('common.nav');
  return (
    <div className="stack">
      <h1 className="page-title">{t('title')}</h1>
      <SettingsTabs />
      <section className="card stack">
        <h2>{t('profile.title')}</h2>
        <p className="muted small">
          {t('profile.email')}: {host.email}
        </p>
        <ProfileForm
          mode="settings"
          action={saveProfile}
          appUrl={env().appUrl}
          timeZones={timeZoneChoices(new Date(), host.locale)}
          initial={{ name: host.name ?? '', handle: host.handle, timeZone: host.timeZone, locale: host.locale, hour12: host.hour12 }}
        />
      </section>
      <section className="card stack">
        <h2>{t('profile.signOutTitle')}</h2>
        <p className="muted">{t('profile.signOutBody')}</p>
        <form action={signOutAction}>
          <button className="btn" type="submit">
            {tn('signOut')}
          </button>
        </form>
      </section>
    </div>
  );
}
