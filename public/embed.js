/*!
 * Aki embed script: puts Aki booking pages on another site.
 *
 *   Inline:  <div data-aki-inline="https://aki.example/handle/slug"></div>
 *   Popup:   <button data-aki-popup="https://aki.example/handle/slug">Book a time</button>
 *            <script src="https://aki.example/embed.js" async></script>
 *
 * Only pages of the Aki that served this script are framed. The framed page posts its height
 * ({type: 'aki:embed:height'}) and this script sizes the inline frame to it; the popup closes with
 * Escape (also pressed inside the frame: {type: 'aki:embed:close'}), its × button or a click beside it,
 * and gives focus back to the button that opened it. No dependencies; call window.AkiEmbed.scan()
 * after adding snippets to the page later.
 */
(() => {
  if (window.AkiEmbed) {
    window.AkiEmbed.scan();
    return;
  }
  const script = document.currentScript;
  const akiOrigin = script?.src ? new URL(script.src, location.href).origin : location.origin;
  const HEIGHT = 'aki:embed:height';
  const CLOSE = 'aki:embed:close';
  const MIN_HEIGHT = 320;
  const MAX_HEIGHT = 20000;
  let popup = null;

  function frameUrl(value) {
    let url;
    try {
      url = new URL(value, location.href);
    } catch (_) {
      return null;
    }
    if (url.origin !== akiOrigin) return null;
    url.searchParams.set('embed', '1');
    return url.href;
  }

  function makeFrame(src, title) {
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.title = title || 'Booking';
    frame.setAttribute('data-aki-frame', '');
    frame.style.cssText = 'display:block;width:100%;border:0;background:transparent;';
    return frame;
  }

  function mountInline(el) {
    if (el.hasAttribute('data-aki-ready')) return;
    const src = frameUrl(el.getAttribute('data-aki-inline'));
    if (!src) return;
    el.setAttribute('data-aki-ready', '');
    const frame = makeFrame(src, el.getAttribute('data-aki-title'));
    frame.style.height = '700px';
    el.appendChild(frame);
  }

  function closePopup() {
    if (!popup) return;
    const opener = popup.opener;
    popup.root.remove();
    document.documentElement.style.overflow = popup.overflow;
    document.removeEventListener('keydown', popup.onKey, true);
    popup = null;
    if (opener && typeof opener.focus === 'function') opener.focus();
  }

  function openPopup(el) {
    const src = frameUrl(el.getAttribute('data-aki-popup'));
    if (!src) return;
    closePopup();
    const root = document.createElement('div');
    root.setAttribute('data-aki-overlay', '');
    root.setAttribute('role', 'dialog');
    root.setAttribute('aria-modal', 'true');
    root.setAttribute('aria-label', el.getAttribute('data-aki-title') || el.textContent.trim() || 'Booking');
    root.style.cssText =
      'position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,18,.55);display:flex;align-items:center;justify-content:center;padding:16px;box-sizing:border-box;';
    const box = document.createElement('div');
    box.style.cssText =
      'display:flex;flex-direction:column;width:100%;max-width:1000px;height:100%;max-height:860px;background:#fafaf7;border-radius:12px;overflow:hidden;box-shadow:0 10px 40px rgba(0,0,0,.3);';
    // A bar of its own for ×, so it never covers the booking page.
    const bar = document.createElement('div');
    bar.style.cssText = 'display:flex;justify-content:flex-end;padding:6px 8px;background:#fff;border-bottom:1px solid #e5e5df;flex:none;';
    const close = document.createElement('button');
    close.type = 'button';
    close.setAttribute('aria-label', el.getAttribute('data-aki-close-label') || 'Close');
    close.setAttribute('data-aki-close', '');
    close.textContent = '\u00d7';
    close.style.cssText =
      'width:40px;height:40px;border-radius:20px;border:1px solid #ddd;background:#fff;color:#222;font:24px/1 system-ui,sans-serif;cursor:pointer;';
    const frame = makeFrame(src, el.getAttribute('data-aki-title'));
    frame.style.flex = '1';
    frame.style.minHeight = '0';
    bar.appendChild(close);
    box.appendChild(bar);
    box.appendChild(frame);
    root.appendChild(box);
    close.addEventListener('click', closePopup);
    root.addEventListener('click', (event) => {
      if (event.target === root) closePopup();
    });
    const onKey = (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        closePopup();
      } else if (event.key === 'Tab' && document.activeElement === close) {
        // Only two stops inside the dialog: the × button and the frame.
        event.preventDefault();
        frame.focus();
      } else if (event.key === 'Tab' && document.activeElement === frame && event.shiftKey) {
        event.preventDefault();
        close.focus();
      }
    };
    document.addEventListener('keydown', onKey, true);
    popup = { root: root, frame: frame, opener: el, onKey: onKey, overflow: document.documentElement.style.overflow };
    document.documentElement.style.overflow = 'hidden';
    document.body.appendChild(root);
    close.focus();
  }

  function scan() {
    for (const el of document.querySelectorAll('[data-aki-inline]')) mountInline(el);
    for (const button of document.querySelectorAll('[data-aki-popup]:not([data-aki-ready])')) {
      button.setAttribute('data-aki-ready', '');
      button.addEventListener('click', (event) => {
        event.preventDefault();
        openPopup(button);
      });
    }
  }

  window.addEventListener('message', (event) => {
    if (event.origin !== akiOrigin || !event.data || typeof event.data.type !== 'string') return;
    if (event.data.type === CLOSE) {
      if (popup && event.source === popup.frame.contentWindow) closePopup();
      return;
    }
    if (event.data.type !== HEIGHT || typeof event.data.height !== 'number') return;
    for (const frame of document.querySelectorAll('[data-aki-inline] > iframe[data-aki-frame]')) {
      if (frame.contentWindow === event.source) frame.style.height = `${Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(event.data.height)))}px`;
    }
  });

  window.AkiEmbed = { scan: scan, close: closePopup };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
})();
