// Runs before the page's own code, in the oldest JavaScript syntax, so that a browser too old
// for the page is told so in a sentence instead of showing a page that does nothing. It checks
// what the page needs: Web Workers; WebAssembly with SIMD and reference types (compiled in by
// this build). (The single file nbtriage.html unpacks its WebAssembly with its own LZMA decoder,
// in plain JavaScript: it needs nothing more.) The page's loaders do not start when
// `window.nbtriageUnsupported` is set.
(function () {
  // Two tiny modules: one returns a v128 constant (SIMD), one drops a null reference.
  var simd = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11];
  var refs = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 0, 208, 112, 26, 11];
  function valid(bytes) {
    try {
      return typeof Uint8Array === 'function' && WebAssembly.validate(new Uint8Array(bytes));
    } catch (e) {
      return false;
    }
  }
  var missing = [];
  if (typeof Worker !== 'function') missing.push('Web Workers');
  if (typeof WebAssembly !== 'object') {
    missing.push('WebAssembly');
  } else {
    if (!valid(simd)) missing.push('WebAssembly SIMD');
    if (!valid(refs)) missing.push('WebAssembly reference types');
  }
  if (!missing.length) return;
  window.nbtriageUnsupported = true;
  var root = document.getElementById('app');
  var box = document.getElementById('error');
  root.setAttribute('data-state', 'unsupported');
  // The start box is hidden: so is the link that skips to it.
  var skip = document.getElementById('skip-link');
  if (skip) skip.hidden = true;
  root.setAttribute('aria-busy', 'false');
  box.hidden = false;
  box.textContent = 'This browser is too old for nbtriage: it lacks ' + missing.join(', ') + '. ' +
    'nbtriage works in Chrome or Edge 96 or later, Firefox 113 or later, and Safari 16.4 or later.';
})();
