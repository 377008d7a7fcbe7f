#!/usr/bin/env bash
# The browser app's tests: the release (threaded) wasm build, a check that its memory is
# shared, then the browser tests in headless Chromium against two local static servers of
# dist/: one with the COOP/COEP headers, one plain (like GitHub Pages).
# Assumes scripts/setup.sh has run (scripts/test.sh runs it first).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -d node_modules/playwright-core ]] || npm ci --no-audit --no-fund

echo "== the command line (the page's files are compared with its files)"
cargo build --release -p forecast-cli
export FORECAST_CLI=$PWD/target/release/forecast

echo "== trunk build --release --offline"
# std rebuilt with atomics for the shared-memory build (see .cargo/config.toml).
CARGO_UNSTABLE_BUILD_STD=panic_abort,std trunk build --release --offline

echo "== shared memory check"
shopt -s nullglob
js=(dist/forecast-web-*.js)
if ((${#js[@]} != 1)); then
    echo "expected one dist/forecast-web-*.js, found: ${js[*]:-none}" >&2
    exit 1
fi
if ! grep -Eq 'new WebAssembly\.Memory\(\{[^}]*shared: *true' "${js[0]}"; then
    echo "FAIL: ${js[0]} does not create WebAssembly.Memory with shared: true (not a threaded build)" >&2
    exit 1
fi
for f in dist/_headers dist/coi-serviceworker.min.js dist/coi-config.js dist/polls_2016.postcard; do
    [[ -f $f ]] || { echo "FAIL: $f missing from dist/" >&2; exit 1; }
done
echo "ok: ${js[0]} creates a shared WebAssembly.Memory"

echo "== the single-thread build"
single=(dist/single/forecast-single-*.js)
boot=(dist/boot-*.js)
if ((${#single[@]} != 1 || ${#boot[@]} != 1)); then
    echo "FAIL: expected one dist/single/forecast-single-*.js and one dist/boot-*.js" >&2
    exit 1
fi
if grep -Eq 'shared: *true' "${single[0]}"; then
    echo "FAIL: ${single[0]} creates a shared memory (it must run without isolation)" >&2
    exit 1
fi
grep -q "src=\"./${boot[0]#dist/}\"" dist/index.html || { echo "FAIL: index.html does not start ${boot[0]}" >&2; exit 1; }
grep -q "__SINGLE_" "${boot[0]}" dist/single/worker-*.js && { echo "FAIL: file names not filled in" >&2; exit 1; }
echo "ok: ${single[0]} has no shared memory; ${boot[0]} picks the module"

echo "== sizes"
# The threaded module's budget: 2.0 MB (README, "Performance").
max_wasm=2000000
for wasm in dist/*.wasm dist/single/*.wasm; do
    printf '%-60s %9d bytes, %8d gzipped\n' "$wasm" "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
done
threaded_wasm=(dist/*.wasm)
if (($(stat -c %s "${threaded_wasm[0]}") > max_wasm)); then
    echo "FAIL: ${threaded_wasm[0]} is over $max_wasm bytes" >&2
    exit 1
fi

logs=$(mktemp -d)
pids=()
stop_servers() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$logs"
}
trap stop_servers EXIT

# Starts a server on a free port; sets $server_url.
start_server() {
    local name=$1
    shift
    node tests/static-server.mjs dist "$@" >"$logs/$name.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        server_url=$(sed -n 's/^listening on //p' "$logs/$name.log")
        [[ -n $server_url ]] && return 0
        sleep 0.1
    done
    echo "the $name server did not start:" >&2
    cat "$logs/$name.log" >&2
    exit 1
}
start_server isolated --headers
export APP_URL=$server_url
start_server plain
export PLAIN_URL=$server_url
echo "== browser tests (isolated: $APP_URL, plain: $PLAIN_URL)"

# One file at a time: each drives its own Chromium, and the 2 cores are shared.
node --test --test-concurrency=1 tests/app.test.mjs tests/charts.test.mjs tests/presidency.test.mjs \
    tests/static-host.test.mjs tests/deploy.test.mjs tests/share.test.mjs tests/a11y.test.mjs \
    tests/reader.test.mjs tests/bundle.test.mjs
