import { redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { ProfileForm } from '@/components/host/profile-form';
import { PublicHeader } from '@/components/ui/public-header';
import { requireSignedIn } from '@/lib/auth/session';
import { timeZoneChoices } from '@/lib/availability/zone-names';
import { env } from '@/lib/env';
import { completeOnboarding } from '@/lib/hosts/actions';

/** First sign-in: display name, handle, time zone (detected), language. */
export default async function OnboardingPage() {
  const host = await requireSignedIn();
  if (host.handle) redirect('/dashboard');
  const t = await getTranslations('auth.onboarding');
  const locale = (await getLocale()) === 'ja' ? 'ja' : 'en';
  const suggested = host.email
    .split('@')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return (
    <>
      <PublicHeader />
      <main className="container">
        <div className="narrow card stack" style={{ marginTop: 32 }}>
          <h1>{t('title')}</h1>
          <p className="muted">{t('intro')}</p>
          <ProfileForm
            mode="onboarding"
            action={completeOnboarding}
            appUrl={env().appUrl}
            timeZones={timeZoneChoices(new Date(), locale)}
            initial={{ name: host.name ?? '', handle: suggested.length >= 3 ? suggested : '', timeZone: host.timeZone, locale }}
          />
        </div>
      </main>
    </>
  );
}
