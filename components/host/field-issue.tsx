'use client';

import { useTranslations } from 'next-intl';
import type { FieldIssue } from '@/lib/booking-pages/schema';

/** A translated validation message under a field (codes from lib/booking-pages/schema fieldIssue). */
export function FieldIssueText({ issue, id }: { issue: FieldIssue | undefined; id?: string }) {
  const t = useTranslations('pages.errors');
  if (!issue) return null;
  const key = t.has(issue.code) ? issue.code : 'invalid';
  return (
    <span className="field-error" role="alert" id={id}>
      {t(key, { min: issue.min ?? 0, max: issue.max ?? 0 })}
    </span>
  );
}
