import { z } from 'zod';
import { timeZoneSchema } from '@/lib/booking-pages/schema';
import { oneLineText } from '@/lib/text-input';

/** Words that would shadow an app route if used as a handle (/{handle}/{page}). */
export const RESERVED_HANDLES = new Set([
  'about', 'admin', 'aki', 'api', 'app', 'assets', 'auth', 'availability', 'booking', 'bookings', 'dashboard', 'emulators', 'favicon.ico',
  'help', 'ics', 'invite', 'login', 'logout', 'mailbox', 'new', 'onboarding', 'organisation', 'pages', 'public', 'robots.txt', 'settings', 'signin',
  'signout', 'signup', 'static', 'support', 'team', 'www', '_next',
]);

export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$/, 'handle_format')
  .refine((handle) => !RESERVED_HANDLES.has(handle), 'handle_reserved');

export const profileSchema = z.object({
  name: oneLineText(80, 'name_length').min(1, 'name_length'),
  handle: handleSchema,
  timeZone: timeZoneSchema,
  locale: z.enum(['ja', 'en']),
  /** The host's clock in screens and mails: 'auto' follows the language (stored as null). */
  hour12: z
    .enum(['auto', '12', '24'])
    .default('auto')
    .transform((clock) => (clock === 'auto' ? null : clock === '12')),
});
export type ProfileInput = z.infer<typeof profileSchema>;
