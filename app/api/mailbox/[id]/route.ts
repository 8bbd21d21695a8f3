import { env } from '@/lib/env';
import { readOutboxRaw } from '@/lib/mail/transport';

/** Demo mode: the raw RFC 822 message, for opening in a mail client. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!env().demo) return new Response('Not found', { status: 404 });
  const { id } = await params;
  const raw = await readOutboxRaw(id);
  if (!raw) return new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(raw), {
    headers: { 'Content-Type': 'message/rfc822', 'Content-Disposition': `attachment; filename="${id}.eml"` },
  });
}
