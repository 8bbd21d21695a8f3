import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ApiTokenManager } from '@/components/host/api-token-manager';
import { SettingsTabs } from '@/components/host/settings-tabs';
import { listApiTokens } from '@/lib/api-tokens/queries';
import { requireHost } from '@/lib/auth/session';
import { env } from '@/lib/env';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('settings.apiTokens');
  return { title: t('title') };
}

export default async function ApiTokensSettingsPage() {
  const host = await requireHost();
  const [t, tokens] = await Promise.all([getTranslations('settings'), listApiTokens(host.id)]);
  return (
    <div className="stack">
      <h1 className="page-title">{t('title')}</h1>
      <SettingsTabs />
      <ApiTokenManager
        appUrl={env().appUrl}
        timeZone={host.timeZone}
        tokens={tokens.map((token) => ({
          id: token.id,
          name: token.name,
          displayPrefix: token.displayPrefix,
          createdAt: token.createdAt.toISOString(),
          lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
          revoked: token.revoked,
        }))}
      />
    </div>
  );
}
