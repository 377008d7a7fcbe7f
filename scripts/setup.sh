#!/usr/bin/env bash
# Installs what the browser app's build and tests need and is missing; does nothing
# that is already done, so it is cheap to run before every serve or test.
#   - nightly toolchain parts: rust-src (for -Z build-std) and the wasm32 target
#   - Trunk 0.22.1 (needs rustc >= 1.96.1, so it is built with the nightly)
#   - wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock
#   - Debian's chromium (the browser tests), node and npm, and binaryen (wasm-opt 108,
#     which Trunk.toml names so that Trunk uses it and never downloads one)
#   - the npm packages of package-lock.json (coi-serviceworker, playwright-core, axe-core)
# Everything comes from crates.io, npm or Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

TRUNK_VERSION=0.22.1
log() { echo "setup: $*" >&2; }

# --- Debian packages -------------------------------------------------------------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v cc >/dev/null || missing+=(build-essential)
wasm-opt --version 2>/dev/null | grep -qx "wasm-opt version 108.*" || missing+=(binaryen)
if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- Rust toolchain parts ---------------------------------------------------------
# rust-toolchain.toml pins the nightly by date but installs nothing (RUSTUP_AUTO_INSTALL=0).
NIGHTLY=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^$NIGHTLY"; then
    log "rustup toolchain install $NIGHTLY"
    rustup toolchain install "$NIGHTLY" --profile minimal
fi
installed_components=$(rustup component list --toolchain "$NIGHTLY" --installed)
for component in rust-src rustfmt clippy; do
    if ! grep -q "^$component" <<<"$installed_components"; then
        log "rustup component add $component"
        rustup component add "$component" --toolchain "$NIGHTLY"
    fi
done
if ! rustup target list --toolchain "$NIGHTLY" --installed | grep -qx wasm32-unknown-unknown; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown --toolchain "$NIGHTLY"
fi

# --- Trunk and wasm-bindgen-cli (built from crates.io; run from $HOME so that this
# repository's cargo config does not apply) -------------------------------------------
if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
    log "cargo install trunk $TRUNK_VERSION (about 8 minutes)"
    (cd "$HOME" && cargo "+$NIGHTLY" install trunk --version "$TRUNK_VERSION" --locked)
fi
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$root/Cargo.lock")
if [[ -z "$bindgen_version" ]]; then
    log "no wasm-bindgen in Cargo.lock"
    exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\b"; then
    # Not --locked: one of its locked dependencies is no longer on crates.io.
    log "cargo install wasm-bindgen-cli $bindgen_version (a few minutes)"
    (cd "$HOME" && cargo "+$NIGHTLY" install wasm-bindgen-cli --version "$bindgen_version" --force)
fi

# --- npm packages -------------------------------------------------------------------
if [[ ! -f node_modules/.package-lock.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
    log "npm ci"
    npm ci --no-audit --no-fund
fi
log "ready: $(trunk --version), $(wasm-bindgen --version), $(chromium --version 2>/dev/null | head -1)"
