/*
 * Copyright 2022 Google Inc. All Rights Reserved.
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *     http://www.apache.org/licenses/LICENSE-2.0
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// This file is kept similar to workerHelpers.js, but intended to be used in
// a bundlerless ES module environment (which has a few differences).

function waitForMsgType(target, type) {
  return new Promise(resolve => {
    target.addEventListener('message', function onMsg({ data }) {
      if (data == null || data.type !== type) return;
      target.removeEventListener('message', onMsg);
      resolve(data);
    });
  });
}

// We need to wait for a specific message because this file is used both
// as a Worker and as a regular script, so it might receive unrelated
// messages on the page.
waitForMsgType(self, 'wasm_bindgen_worker_init').then(async data => {
  // Patched: a worker that cannot load the module says so (see startWorkers).
  let pkg;
  try {
    pkg = await import(data.mainJS);
    await pkg.default(data.module, data.memory);
  } catch (error) {
    postMessage({ type: 'wasm_bindgen_worker_failed', error: String(error?.message ?? error) });
    return;
  }
  postMessage({ type: 'wasm_bindgen_worker_ready' });
  pkg.wbg_rayon_start_worker(data.receiver);
});

// Note: this is never used, but necessary to prevent a bug in Firefox
// (https://bugzilla.mozilla.org/show_bug.cgi?id=1702191) where it collects
// Web Workers that have a shared WebAssembly memory with the main thread,
// but are not explicitly rooted via a `Worker` instance.
//
// By storing them in a variable, we can keep `Worker` objects around and
// prevent them from getting GC-d.
let _workers;

export async function startWorkers(module, memory, builder) {
  if (builder.numThreads() === 0) {
    throw new Error(`num_threads must be > 0.`);
  }

  const workerInit = {
    type: 'wasm_bindgen_worker_init',
    module,
    memory,
    receiver: builder.receiver(),
    mainJS: builder.mainJS()
  };

  _workers = await Promise.all(
    Array.from({ length: builder.numThreads() }, async () => {
      // Self-spawn into a new Worker.
      // Patched: from this script's own URL, at once. The published crate first
      // fetches the script as a blob (for a script hosted on another origin),
      // which makes every worker wait for a fetch and then for the page's
      // thread before it is even created; this page serves it itself.
      const worker = new Worker(import.meta.url, {
        type: 'module'
      });
      worker.postMessage(workerInit);
      // Patched: the pool's start fails, rather than waiting forever, when a worker's
      // script does not load or the module does not start in it.
      const failed = new Promise((_, reject) => {
        // Left to reach the console too: the listener stays for the worker's life.
        worker.addEventListener('error', (event) => {
          reject(new Error(`a worker's script did not load (${event.message || 'network or script error'})`));
        });
        waitForMsgType(worker, 'wasm_bindgen_worker_failed').then(({ error }) => {
          reject(new Error(`the module did not start in a worker (${error})`));
        });
      });
      await Promise.race([waitForMsgType(worker, 'wasm_bindgen_worker_ready'), failed]);
      return worker;
    })
  );
  builder.build();
}
