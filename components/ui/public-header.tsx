import { LocaleSwitcher } from './locale-switcher';
import { Brand } from './brand';

/** Header for signed-out pages: brand and language switcher. */
export function PublicHeader() {
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Brand />
        <div style={{ flex: 1 }} />
        <LocaleSwitcher />
      </div>
    </header>
  );
}
