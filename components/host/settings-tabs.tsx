import { getTranslations } from 'next-intl/server';
import { HostNav } from './host-nav';

export async function SettingsTabs() {
  const t = await getTranslations('settings.tabs');
  return (
    <HostNav
      className="tabs"
      items={[
        { href: '/settings/profile', label: t('profile') },
        { href: '/settings/integrations', label: t('integrations') },
        { href: '/settings/api-tokens', label: t('apiTokens') },
        { href: '/settings/webhooks', label: t('webhooks') },
      ]}
    />
  );
}
