import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { routeParams, withErrors } from '@/lib/http';
import { readOutboxRaw } from '@/lib/mail/transport';

/** Demo mode: the raw RFC 822 message, for opening in a mail client. */
export const GET = withErrors(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  if (!env().demo) throw new AppError('not_found', 'Not found');
  const { id } = await routeParams(context.params);
  const raw = await readOutboxRaw(id);
  if (!raw) throw new AppError('not_found', 'Not found');
  return new Response(new Uint8Array(raw), {
    headers: { 'Content-Type': 'message/rfc822', 'Content-Disposition': `attachment; filename="${id}.eml"` },
  });
});
