import { useTranslations } from 'next-intl';
import type { Location } from '@/lib/booking-pages/schema';
import styles from './booking.module.css';
import { ClockIcon, LinkIcon, PhoneIcon, PinIcon, VideoIcon } from './icons';

type Props = {
  hostName: string;
  /** A team page: who the guest may meet ("One of: A, B" or "With A and B"), under the organisation's name. */
  hostsLine?: string;
  title: string;
  durationMinutes: number;
  location: Location;
  description?: string;
  /** Heading level of the title: h1 on the booking page, h2 inside other pages. */
  as?: 'h1' | 'h2';
};

/** Host, title, duration, location and description of a booking page (server or client). All text is rendered as text. */
export function PageFacts({ hostName, hostsLine, title, durationMinutes, location, description, as = 'h1' }: Props) {
  const t = useTranslations('booking.page');
  const Title = as;
  return (
    <div className={styles.info}>
      <p className={styles.hostName} data-testid="host-name">
        {hostName}
      </p>
      {hostsLine ? (
        <p className={styles.hostName} data-testid="team-members">
          {hostsLine}
        </p>
      ) : null}
      <Title className={styles.title} data-testid="page-title">
        {title}
      </Title>
      <ul className={styles.facts}>
        <li>
          <span className={styles.factIcon}>
            <ClockIcon />
          </span>
          <span>{t('duration', { minutes: durationMinutes })}</span>
        </li>
        <li>
          <span className={styles.factIcon}>
            {location.type === 'zoom' ? <VideoIcon /> : location.type === 'phone' ? <PhoneIcon /> : location.type === 'in_person' ? <PinIcon /> : <LinkIcon />}
          </span>
          <span data-testid="page-location">{locationText(location, t)}</span>
        </li>
      </ul>
      {description ? <p className={styles.description}>{description}</p> : null}
    </div>
  );
}

export function locationText(location: Location, t: (key: string, values?: Record<string, string>) => string): string {
  switch (location.type) {
    case 'zoom':
      return t('location.zoom');
    case 'phone':
      return location.phone ? t('location.phoneNumber', { phone: location.phone }) : t('location.phone');
    case 'in_person':
      return location.address;
    case 'link':
      return t('location.link');
  }
}
