// Progressive enhancement of /verify: the camera scanner, decoding a chosen photo in the browser,
// the print button. Without JavaScript every other way to verify still works (forms post to the server).
(() => {
  'use strict';
  document.documentElement.classList.add('js');
  const wire = () => {
    for (const button of document.querySelectorAll('.print-button')) {
      button.hidden = false;
      button.addEventListener('click', () => window.print());
    }
    const result = document.getElementById('result');
    if (result) result.focus();
  };
  wire();
  document.body.addEventListener('htmx:afterSettle', wire);

  let detectorPromise = null;
  /** The browser's BarcodeDetector where it reads QR codes, else the ZXing ponyfill served from here. */
  const detector = () => {
    detectorPromise ??= (async () => {
      if ('BarcodeDetector' in window) {
        try {
          const formats = await window.BarcodeDetector.getSupportedFormats();
          if (formats.includes('qr_code')) return new window.BarcodeDetector({ formats: ['qr_code'] });
        } catch {}
      }
      await new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = '/static/vendor/barcode-detector.js';
        script.onload = resolve;
        script.onerror = reject;
        document.head.append(script);
      });
      const api = window.BarcodeDetectionAPI;
      api.prepareZXingModule({
        overrides: { locateFile: (file, prefix) => (file.endsWith('.wasm') ? '/static/vendor/zxing_reader.wasm' : prefix + file) },
      });
      return new api.BarcodeDetector({ formats: ['qr_code'] });
    })();
    return detectorPromise;
  };

  const submitQr = (text) => {
    document.getElementById('f-qr').value = text;
    document.getElementById('qr-form').requestSubmit();
  };

  let stream = null;
  let scanning = false;
  const el = (id) => document.getElementById(id);
  const stop = () => {
    scanning = false;
    if (stream) for (const track of stream.getTracks()) track.stop();
    stream = null;
    if (el('camera-video')) el('camera-video').hidden = true;
    if (el('camera-stop')) el('camera-stop').hidden = true;
    if (el('camera-start')) el('camera-start').hidden = false;
  };
  const scan = async (reader) => {
    if (!scanning) return;
    try {
      const video = el('camera-video');
      if (video && video.readyState >= 2) {
        const codes = await reader.detect(video);
        const text = codes.find((c) => c.rawValue)?.rawValue;
        if (text) {
          stop();
          submitQr(text);
          return;
        }
      }
    } catch {}
    setTimeout(() => scan(reader), 120);
  };
  const start = async () => {
    const video = el('camera-video');
    el('camera-message').textContent = '';
    try {
      const [reader, media] = await Promise.all([
        detector(),
        navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
      ]);
      stream = media;
      video.srcObject = stream;
      video.hidden = false;
      el('camera-start').hidden = true;
      el('camera-stop').hidden = false;
      await video.play();
      scanning = true;
      scan(reader);
    } catch {
      stop();
      el('camera-message').textContent = el('camera-texts')?.dataset.unavailable ?? '';
    }
  };
  /** Binds the camera controls of the page as it is now (htmx swaps replace them). */
  const setupCamera = () => {
    const controls = document.querySelector('.camera-controls');
    if (!controls || controls.dataset.bound || !navigator.mediaDevices?.getUserMedia) return;
    controls.dataset.bound = 'yes';
    controls.hidden = false;
    el('camera-start').addEventListener('click', start);
    el('camera-stop').addEventListener('click', stop);
  };
  setupCamera();
  document.body.addEventListener('htmx:afterSettle', setupCamera);
  window.addEventListener('pagehide', stop);
})();
