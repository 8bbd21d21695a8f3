/** Unknown organisation, unknown page or an unpublished one: the personal booking page's friendly answer. */
export { default } from '@/app/[host]/[page]/not-found';
