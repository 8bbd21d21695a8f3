import { z } from 'zod';

/** The calendar choice form on the settings card (FormData: repeated busyCalendarIds, a targetCalendarId, allDayEventsBusy=on). */
export const googleCalendarSettingsSchema = z.object({
  busyCalendarIds: z.array(z.string().min(1).max(1024)).max(50),
  targetCalendarId: z.string().min(1, 'required').max(1024),
  allDayEventsBusy: z.boolean(),
});

export type GoogleCalendarSettingsInput = z.infer<typeof googleCalendarSettingsSchema>;

export function parseGoogleSettingsForm(form: FormData) {
  return googleCalendarSettingsSchema.safeParse({
    busyCalendarIds: form.getAll('busyCalendarIds').filter((v): v is string => typeof v === 'string'),
    targetCalendarId: form.get('targetCalendarId') ?? '',
    allDayEventsBusy: form.get('allDayEventsBusy') === 'on' || form.get('allDayEventsBusy') === 'true',
  });
}
