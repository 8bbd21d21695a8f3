'use client';

import { useSearchParams } from 'next/navigation';
import { INTEGRATION_OUTCOME_TONES, type IntegrationOutcome } from '@/lib/oauth/outcome';

type IntegrationNoticeMessages = Partial<Record<IntegrationOutcome, string>>;

/** The outcome of the last connect / save / disconnect (?zoom=… / ?google=…) above the provider's card. */
export function IntegrationNotice({ provider, messages }: { provider: 'zoom' | 'google'; messages: IntegrationNoticeMessages }) {
  const outcome = useSearchParams().get(provider);
  const text = outcome && Object.hasOwn(messages, outcome) ? messages[outcome as IntegrationOutcome] : undefined;
  if (!outcome || !text) return null;
  const tone = INTEGRATION_OUTCOME_TONES[outcome as IntegrationOutcome];
  return (
    <p className={`notice ${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={`${provider}-notice`} data-outcome={outcome}>
      {text}
    </p>
  );
}
