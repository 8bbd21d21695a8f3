import { useTranslations } from 'next-intl';
import type { AttendanceStatus } from '@/lib/meetings/types';

const TONE: Record<AttendanceStatus, 'ok' | 'warn' | 'error' | ''> = {
  attended: 'ok',
  guest_no_show: 'error',
  host_no_show: 'error',
  nobody: 'error',
  unknown: 'warn',
  pending: '',
};

/** The attendance verdict that counts as a badge ("corrected" when it is the host's own). */
export function AttendanceBadge({ status, corrected = false }: { status: AttendanceStatus; corrected?: boolean }) {
  const t = useTranslations('meetings');
  return (
    <span className={`badge ${TONE[status]}`} data-testid="attendance-badge" data-state={status} data-corrected={corrected ? 'true' : undefined}>
      {t(`attendance.badge.${status}`)}
      {corrected ? ` · ${t('list.corrected')}` : ''}
    </span>
  );
}
