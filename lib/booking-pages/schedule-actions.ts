'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAction } from '@/lib/actions';
import { requireHost } from '@/lib/auth/session';
import { deleteSchedule, updateSchedule } from './mutations';
import { createSchedule } from './schedules';
import { scheduleInputSchema } from './schema';

/**
 * Server actions of the Availability page (/availability): the signed-in host's schedules. Failures
 * come back as an ActionResult: `invalid_input` with `fields`, `not_found` for a schedule that is not
 * the host's (or gone).
 */

/** Creates (scheduleId null) or replaces one of the host's schedules; pages using it follow at once. */
export async function saveScheduleAction(scheduleId: string | null, values: unknown): Promise<ActionResult<{ scheduleId: string; updatedAt: string }>> {
  return runAction('saveScheduleAction', async () => {
    const host = await requireHost();
    const input = scheduleInputSchema.parse(values);
    const schedule = scheduleId ? await updateSchedule(host.id, String(scheduleId), input) : await createSchedule(host.id, input);
    revalidatePath('/availability');
    revalidatePath(`/availability/${schedule.id}`);
    return { scheduleId: schedule.id, updatedAt: schedule.updatedAt.toISOString() };
  });
}

/** Deletes the schedule; its pages keep its hours as their own (how many is returned for the message). */
export async function deleteScheduleAction(scheduleId: string): Promise<ActionResult<{ pagesKept: number }>> {
  return runAction('deleteScheduleAction', async () => {
    const host = await requireHost();
    const result = await deleteSchedule(host.id, String(scheduleId));
    revalidatePath('/availability');
    revalidatePath('/dashboard');
    return result;
  });
}
