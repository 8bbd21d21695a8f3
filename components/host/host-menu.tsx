'use client';

import { usePathname } from 'next/navigation';
import { type ReactNode, useEffect, useRef } from 'react';

/**
 * The host's menu in the top bar (a native <details>: works before hydration): account and sign-out
 * on every screen, plus the sections on a phone where the bar has no room for them. Closes when the
 * page changes, on a click outside and on Escape.
 */
export function HostMenu({ label, summary, children }: { label: string; summary: ReactNode; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing is the effect of a page change
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  useEffect(() => {
    const close = (event: Event) => {
      const menu = ref.current;
      if (!menu?.open) return;
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !menu.contains(event.target as Node)) menu.open = false;
    };
    document.addEventListener('click', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('click', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  return (
    <details ref={ref} className="host-menu" data-testid="host-menu">
      <summary aria-label={label}>{summary}</summary>
      <div className="host-menu-panel">{children}</div>
    </details>
  );
}
