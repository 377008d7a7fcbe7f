// Runs before coi-serviceworker.min.js: keeps it quiet (boot.js reports instead) and
// keeps its service worker registration for boot.js, which waits for it before it picks
// the threaded or the single-thread module.
window.coi = { quiet: true };
if (navigator.serviceWorker) {
  const container = navigator.serviceWorker;
  const register = container.register.bind(container);
  // A browser that blocks service workers may resolve with no registration at all: a
  // refusal, for coi-serviceworker (which would otherwise fail on it) and boot.js alike.
  container.register = (...args) =>
    (window.coiRegistration = register(...args).then(
      (registration) => registration || Promise.reject(new Error('the browser blocked its registration')),
    ));
}
