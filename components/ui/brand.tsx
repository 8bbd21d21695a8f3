import Link from 'next/link';

/** The Aki mark and name, linking home (the dashboard for hosts). */
export function Brand({ href = '/' }: { href?: string }) {
  return (
    <Link href={href} className="brand">
      <span className="brand-mark" aria-hidden="true">
        空
      </span>
      Aki
    </Link>
  );
}
