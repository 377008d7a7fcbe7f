#!/usr/bin/env bash
# Every test: installs what is missing (scripts/setup.sh), checks format and lints,
# runs the engine and CLI tests (they read ../shared/reference in place), then builds
# the threaded wasm app and runs the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo fmt --all -- --check
cargo clippy -p forecast-engine -p forecast-cli -p forecast-charts --all-targets -- -D warnings
cargo test -p forecast-engine -p forecast-cli -p forecast-charts
scripts/test-browser.sh
