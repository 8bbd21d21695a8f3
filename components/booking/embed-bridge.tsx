'use client';

import { useEffect } from 'react';
import { EMBED_MESSAGES } from '@/lib/embed/mode';

/**
 * In a frame (public/embed.js), tells the embedding page how tall this page is whenever that changes,
 * and asks it to close its popup on Escape (the key press lands in the frame, not the page around it).
 * Outside a frame it does nothing. The height is no secret, so it goes to whichever site frames us.
 */
export function EmbedBridge() {
  useEffect(() => {
    if (window.parent === window) return;
    let last = 0;
    const post = () => {
      const height = Math.ceil(document.body.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      window.parent.postMessage({ type: EMBED_MESSAGES.height, height }, '*');
    };
    const observer = new ResizeObserver(post);
    observer.observe(document.body);
    post();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) window.parent.postMessage({ type: EMBED_MESSAGES.close }, '*');
    };
    window.addEventListener('keydown', onKey);
    return () => {
      observer.disconnect();
      window.removeEventListener('keydown', onKey);
    };
  }, []);
  return null;
}
