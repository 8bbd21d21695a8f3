import { GET as confirmationIcs } from '@/app/[host]/[page]/booked/[uid]/ics/route';

type Params = Promise<{ org: string; page: string; uid: string }>;

/** The team confirmation page's .ics download: the personal confirmation's (the uid and ?token= identify the booking; the path's page is not read). */
export async function GET(request: Request, { params }: { params: Params }): Promise<Response> {
  const { org, page, uid } = await params;
  return confirmationIcs(request, { params: Promise.resolve({ host: org, page, uid }) });
}
