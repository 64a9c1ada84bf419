// The staff console's only script: print buttons (no inline handlers under the CSP).
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-print], [data-print-frame]') : null;
  if (!target) return;
  const frameSelector = target.getAttribute('data-print-frame');
  const frame = frameSelector ? document.querySelector(frameSelector) : null;
  if (frame instanceof HTMLIFrameElement && frame.contentWindow) {
    try {
      frame.contentWindow.focus();
      frame.contentWindow.print();
      return;
    } catch {
      // A viewer that refuses: print the page instead.
    }
  }
  window.print();
});
