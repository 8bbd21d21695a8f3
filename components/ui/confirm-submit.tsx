'use client';

import type { ReactNode } from 'react';

/** A submit button that asks first (the browser's own dialog): for actions that are hard to undo, like disconnecting an account. */
export function ConfirmSubmit({ message, className, testId, children }: { message: string; className: string; testId?: string; children: ReactNode }) {
  return (
    <button
      type="submit"
      className={className}
      data-testid={testId}
      onClick={(event) => {
        if (!window.confirm(message)) event.preventDefault();
      }}
    >
      {children}
    </button>
  );
}
