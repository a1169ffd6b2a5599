// Starts the page's WebAssembly. A module file rather than Trunk's inline loader, so that the
// Content-Security-Policy can forbid inline scripts. If the server sends .wasm with the wrong
// MIME type, wasm-bindgen falls back from streaming compilation to a plain one. www/check.js ran
// first: a browser too old for the page has been told so, and nothing is started.
import init from './app.js';

if (!window.nbtriageUnsupported) {
  init({ module_or_path: new URL('./app_bg.wasm', import.meta.url) }).catch((error) => {
    const root = document.getElementById('app');
    const box = document.getElementById('error');
    root.dataset.state = 'error';
    box.hidden = false;
    box.textContent = 'The page could not start: ' + error + '. Serve it over http(s), or open nbtriage.html; see README.md.';
  });
}
