'use client';

import { useSearchParams } from 'next/navigation';

export type ZoomNoticeMessages = Record<string, { text: string; tone: 'ok' | 'warn' | 'error' | 'info' }>;

/** The outcome of the last connect/disconnect (?zoom=…), with texts prepared by the server card. */
export function ZoomNotice({ messages }: { messages: ZoomNoticeMessages }) {
  const outcome = useSearchParams().get('zoom');
  const message = outcome ? messages[outcome] : undefined;
  if (!outcome || !message) return null;
  return (
    <p className={`notice ${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'} data-testid="zoom-notice" data-outcome={outcome}>
      {message.text}
    </p>
  );
}
