import type { Host } from '@/lib/auth/session';

/** Placeholder: the Google Calendar connection card (issue 6 replaces this). */
export async function GoogleIntegrationCard({ host: _host }: { host: Host }) {
  return <section className="card">Google Calendar</section>;
}
