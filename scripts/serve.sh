#!/usr/bin/env bash
# Installs what is missing, then builds the threaded app and serves it with the
# cross-origin isolation headers on http://127.0.0.1:8080 (Trunk.toml); Trunk rebuilds
# on changes. Extra arguments go to `trunk serve` (e.g. --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# std rebuilt with atomics for the shared-memory build (see .cargo/config.toml).
export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
exec trunk serve --release --offline "$@"
