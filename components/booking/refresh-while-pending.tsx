'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';

/** `quiet`: refresh without saying so (e.g. while the confirmation mail is on its way). */
type Props = { intervalMs?: number; maxTries?: number; quiet?: boolean };

/**
 * While the Zoom meeting is still being made, re-renders the server page every few seconds for a
 * short while (the worker usually finishes within seconds); after that the mail brings the link.
 */
export function RefreshWhilePending({ intervalMs = 3000, maxTries = 20, quiet = false }: Props) {
  const t = useTranslations('booking.confirmation');
  const router = useRouter();
  const [tries, setTries] = useState(0);
  useEffect(() => {
    if (tries >= maxTries) return;
    const timer = setTimeout(() => {
      if (document.visibilityState === 'visible') router.refresh();
      setTries((n) => n + 1);
    }, intervalMs);
    return () => clearTimeout(timer);
  }, [tries, maxTries, intervalMs, router]);
  return tries < maxTries && !quiet ? (
    <span className="muted small" data-testid="meeting-polling">
      {t('checking')}
    </span>
  ) : null;
}
