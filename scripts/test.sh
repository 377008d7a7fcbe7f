#!/usr/bin/env bash
# Every test: installs what is missing (scripts/setup.sh), checks format and lints,
# runs the engine, charts and CLI tests (with their own copy of the reference data), then builds
# the threaded wasm app and runs the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo fmt --all -- --check
cargo clippy -p forecast-engine -p forecast-cli -p forecast-charts -p forecast-web --all-targets -- -D warnings
# The engine's optional `serde` feature (off in the builds above).
cargo clippy -p forecast-engine --all-targets --features serde -- -D warnings
# The page itself exists only for wasm32 (with the threaded std, as the app is built).
CARGO_UNSTABLE_BUILD_STD=panic_abort,std \
  cargo clippy --release --target wasm32-unknown-unknown -p forecast-web -- -D warnings
# The single-thread module (scripts/build-single.sh): no atomics, its own target dir.
CARGO_UNSTABLE_BUILD_STD=panic_abort,std CARGO_ENCODED_RUSTFLAGS=-Ctarget-feature=+simd128,-reference-types \
  cargo clippy --release --target wasm32-unknown-unknown -p forecast-web --target-dir target/single -- -D warnings
cargo test -p forecast-engine -p forecast-cli -p forecast-charts -p forecast-web
cargo test -p forecast-engine --features serde --test serde
scripts/test-browser.sh
