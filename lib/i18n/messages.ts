import type { Locale } from './config';
import enAuth from './messages/en/auth.json';
import enAvailability from './messages/en/availability.json';
import enBooking from './messages/en/booking.json';
import enCommon from './messages/en/common.json';
import enGoogle from './messages/en/google.json';
import enMail from './messages/en/mail.json';
import enMeetings from './messages/en/meetings.json';
import enOrganisation from './messages/en/organisation.json';
import enPages from './messages/en/pages.json';
import enSettings from './messages/en/settings.json';
import enZoom from './messages/en/zoom.json';
import jaAuth from './messages/ja/auth.json';
import jaAvailability from './messages/ja/availability.json';
import jaBooking from './messages/ja/booking.json';
import jaCommon from './messages/ja/common.json';
import jaGoogle from './messages/ja/google.json';
import jaMail from './messages/ja/mail.json';
import jaMeetings from './messages/ja/meetings.json';
import jaOrganisation from './messages/ja/organisation.json';
import jaPages from './messages/ja/pages.json';
import jaSettings from './messages/ja/settings.json';
import jaZoom from './messages/ja/zoom.json';

/** One JSON file per domain and language; the file name is the next-intl namespace. */
export const MESSAGES = {
  en: { common: enCommon, auth: enAuth, settings: enSettings, zoom: enZoom, pages: enPages, booking: enBooking, google: enGoogle, mail: enMail, meetings: enMeetings, organisation: enOrganisation, availability: enAvailability },
  ja: { common: jaCommon, auth: jaAuth, settings: jaSettings, zoom: jaZoom, pages: jaPages, booking: jaBooking, google: jaGoogle, mail: jaMail, meetings: jaMeetings, organisation: jaOrganisation, availability: jaAvailability },
} as const;

export type Messages = (typeof MESSAGES)['en'];

export const messagesFor = (locale: Locale) => MESSAGES[locale];
