import type { Host } from '@/lib/auth/session';

/** Placeholder: the Zoom connection card (issue 3 replaces this). */
export async function ZoomIntegrationCard({ host: _host }: { host: Host }) {
  return <section className="card">Zoom</section>;
}
