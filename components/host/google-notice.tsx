'use client';

import { useSearchParams } from 'next/navigation';

export type GoogleNoticeMessages = Record<string, { text: string; tone: 'ok' | 'warn' | 'error' | 'info' }>;

/** Shows the outcome of a connect / save / disconnect (?google=…) above the Google Calendar card. */
export function GoogleNotice({ messages }: { messages: GoogleNoticeMessages }) {
  const code = useSearchParams().get('google');
  const message = code ? messages[code] : undefined;
  if (!message) return null;
  return (
    <p className={`notice ${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'} data-testid="google-notice">
      {message.text}
    </p>
  );
}
