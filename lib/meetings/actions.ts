'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAction } from '@/lib/actions';
import { requireHost } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { recreateMeetingForHost, refreshMeetingForHost } from './host';
import { setAttendanceOverride } from './mutations';
import type { AttendanceVerdict } from './types';

/** Server actions of the host's booking page (/bookings/{uid}); each goes through runAction (lib/actions.ts). */

const revalidate = (uid: string) => {
  revalidatePath(`/bookings/${encodeURIComponent(uid)}`);
  revalidatePath('/bookings');
  revalidatePath('/dashboard');
};

/** The host's correction of the attendance verdict (null clears it). */
export async function setAttendanceOverrideAction(
  uid: string,
  verdict: AttendanceVerdict | null,
  note: string,
): Promise<ActionResult<{ status: AttendanceVerdict; note: string | null; at: string } | null>> {
  return runAction('setAttendanceOverrideAction', async () => {
    const host = await requireHost();
    const result = await setAttendanceOverride(await getDb(), host.id, String(uid), verdict, typeof note === 'string' ? note : null);
    revalidate(String(uid));
    return result;
  });
}

/** "Refresh from Zoom": a REST read of the meeting, queued now (conflict when the booking has no Zoom meeting). */
export async function refreshMeetingAction(uid: string): Promise<ActionResult<true>> {
  return runAction('refreshMeetingAction', async () => {
    const host = await requireHost();
    const outcome = await refreshMeetingForHost(await getDb(), host.id, String(uid));
    if (outcome === 'no_meeting') throw new AppError('conflict', 'This booking has no Zoom meeting', { reason: 'no_meeting' });
    revalidate(String(uid));
    return true as const;
  });
}

/** "Recreate meeting" after the Zoom meeting was deleted in Zoom. */
export async function recreateMeetingAction(uid: string): Promise<ActionResult<true>> {
  return runAction('recreateMeetingAction', async () => {
    const host = await requireHost();
    await recreateMeetingForHost(await getDb(), host.id, String(uid));
    revalidate(String(uid));
    return true as const;
  });
}
