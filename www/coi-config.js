// Runs before coi-serviceworker.min.js: keeps it quiet (boot.js reports instead) and
// keeps its service worker registration for boot.js, which waits for it before it picks
// the threaded or the single-thread module.
window.coi = { quiet: true };
if (navigator.serviceWorker) {
  const container = navigator.serviceWorker;
  const register = container.register.bind(container);
  container.register = (...args) => (window.coiRegistration = register(...args));
}
