// Starts the page with one of its two WebAssembly modules:
//   - threaded, where the page is cross-origin isolated: the engine runs on every core
//     through Web Workers that share the module's memory;
//   - single-thread otherwise: the same engine in one dedicated Web Worker.
// The service worker of coi-serviceworker.min.js (which adds the isolation headers on
// hosts that do not send them) has its chance first: it reloads the page once it can.
// An external module script, so that a Content-Security-Policy without inline scripts
// allows it. scripts/build-single.sh fills in the single-thread module's file names.
const SINGLE_JS = '__SINGLE_JS__';
const SINGLE_WASM = '__SINGLE_WASM__';
const SINGLE_WORKER = '__SINGLE_WORKER__';
// How long to wait for the service worker's reload before giving up on it.
const RELOAD_WAIT_MS = 3000;

const here = (path) => new URL(path, import.meta.url).href;
const message = (error) => String(error?.message ?? error);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Why this page cannot share memory between workers; `null` if it can. */
async function whyNotIsolated() {
  if (self.crossOriginIsolated) {
    return typeof SharedArrayBuffer === 'function'
      ? null
      : { reason: 'threads-failed', detail: 'no SharedArrayBuffer' };
  }
  if (!self.isSecureContext) return { reason: 'insecure' };
  if (!navigator.serviceWorker) return { reason: 'no-service-worker' };
  if (window.coiRegistration) {
    try {
      const registration = await window.coiRegistration;
      const controlled = navigator.serviceWorker.controller !== null;
      if (registration.installing || registration.waiting || !controlled) {
        // coi-serviceworker reloads the page now; if it does not, go on without it.
        await sleep(RELOAD_WAIT_MS);
      }
    } catch (error) {
      return { reason: 'service-worker-failed', detail: message(error) };
    }
  }
  return { reason: 'not-isolated' };
}

async function start(js, wasm) {
  const { default: init } = await import(js);
  await init({ module_or_path: wasm });
}

const tag = document.querySelector('script[data-threads-js]');
let why = await whyNotIsolated();
window.forecastBoot = { worker: here(SINGLE_WORKER) };
if (!why) {
  try {
    window.forecastBoot.threads = true;
    await start(tag.dataset.threadsJs, tag.dataset.threadsWasm);
  } catch (error) {
    why = { reason: 'threads-failed', detail: message(error) };
  }
}
if (why) {
  Object.assign(window.forecastBoot, { threads: false, ...why });
  try {
    await start(here(SINGLE_JS), here(SINGLE_WASM));
  } catch (error) {
    // Neither module started: say so where the page says it is loading.
    const status = document.querySelector('#loading-shell [data-testid=loading]');
    if (status) status.textContent = `The forecasting engine could not start: ${message(error)}`;
    throw error;
  }
}
