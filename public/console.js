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

// As-you-type checks replace only a field's error paragraph (hx-swap-oob): mark the field and its
// box invalid or valid to match, so the colour and aria-invalid follow the message.
document.addEventListener('htmx:oobAfterSwap', (event) => {
  const error = event.target;
  if (!(error instanceof Element) || !error.matches('p.error[id]')) return;
  const field = error.closest('.field');
  if (!field) return;
  const invalid = (error.textContent ?? '').trim() !== '';
  field.classList.toggle('invalid', invalid);
  for (const box of field.querySelectorAll('input, select, textarea')) {
    if (invalid) box.setAttribute('aria-invalid', 'true');
    else box.removeAttribute('aria-invalid');
  }
});
