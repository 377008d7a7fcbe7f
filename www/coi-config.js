// Runs before coi-serviceworker.min.js: keeps it quiet (boot.js reports instead), keeps its
// service worker registration for boot.js (which waits for it before it picks the threaded
// or the single-thread module), and reloads the page only once the reload can pass through
// the service worker.
//
// coi-serviceworker reloads as soon as its worker is found, while that worker may still be
// installing: the reloaded page then loads without it, is claimed by it afterwards, and
// stays not isolated (a slow first visit, as on a busy phone). Here the reload waits until
// the worker controls the page: a page that loaded without a controller and gains one is
// reloaded once, and the next load, controlled from its start, is isolated.
const BYPASS_RELOAD = 'election-forecaster.reloaded-past-bypass';
if (navigator.serviceWorker?.controller) {
  try {
    localStorage.removeItem(BYPASS_RELOAD);
  } catch {
    // No storage: reloads past a bypass are never made.
  }
}
if (navigator.serviceWorker && window.crossOriginIsolated === false) {
  const container = navigator.serviceWorker;
  const uncontrolledAtLoad = container.controller === null;
  let reloading = false;
  const reload = () => {
    if (reloading) return;
    reloading = true;
    window.location.reload();
  };
  // The worker claims every open page once it is active.
  if (uncontrolledAtLoad) container.addEventListener('controllerchange', reload, { once: true });

  const register = container.register.bind(container);
  // A browser that blocks service workers may resolve with no registration at all: a
  // refusal, for coi-serviceworker (which would otherwise fail on it) and boot.js alike.
  container.register = (...args) =>
    (window.coiRegistration = register(...args).then(
      (registration) => registration || Promise.reject(new Error('the browser blocked its registration')),
    ));

  // A browser whose every load bypasses the worker would otherwise reload without end: no
  // such reload right after another (the mark is cleared by a load under the worker).
  const reloadPastBypass = () => {
    try {
      if (localStorage.getItem(BYPASS_RELOAD)) return;
      localStorage.setItem(BYPASS_RELOAD, '1');
    } catch {
      return;
    }
    reload();
  };

  window.coi = {
    quiet: true,
    doReload() {
      // An active worker that does not control this page and will not claim it again (a
      // forced reload bypasses service workers): a plain reload passes through it.
      window.coiRegistration?.then((registration) => {
        if (registration.active?.state === 'activated' && container.controller === null) reloadPastBypass();
      });
      // Otherwise the worker is still installing: the controllerchange above reloads.
    },
  };
} else {
  window.coi = { quiet: true };
}
