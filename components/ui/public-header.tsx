import Link from 'next/link';
import { LocaleSwitcher } from './locale-switcher';

/** Header for signed-out pages: brand and language switcher. */
export function PublicHeader() {
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            空
          </span>
          Aki
        </Link>
        <div style={{ flex: 1 }} />
        <LocaleSwitcher />
      </div>
    </header>
  );
}
