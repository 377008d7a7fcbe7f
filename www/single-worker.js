// The single-thread build's engine worker: the page's own module, whose entry point,
// finding no window here, answers the page's requests. scripts/build-single.sh fills in
// the file names.
import init from './__SINGLE_JS__';

await init({ module_or_path: new URL('./__SINGLE_WASM__', import.meta.url) });
