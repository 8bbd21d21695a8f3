import { createTranslator } from 'next-intl';
import type { Locale } from './config';
import { type Messages, messagesFor } from './messages';

/** A translator outside React (mails, route handlers, the worker). */
export function translator<N extends keyof Messages>(locale: Locale, namespace: N) {
  // biome-ignore lint/suspicious/noExplicitAny: namespaces are plain JSON files; keys are checked by tests
  return createTranslator({ locale, messages: messagesFor(locale) as any, namespace: namespace as any }) as (
    key: string,
    values?: Record<string, string | number | Date>,
  ) => string;
}
