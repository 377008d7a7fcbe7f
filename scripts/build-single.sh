#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml): adds the single-thread build to Trunk's staging
# directory, for pages that are not cross-origin isolated (www/boot.js picks it there).
#   - the same crate compiled without atomics or shared memory: std rebuilt without
#     them, none of the threaded link flags of .cargo/config.toml, only SIMD;
#   - wasm-bindgen (--target web), then wasm-opt as for the threaded module;
#   - single/worker-*.js (its engine worker) and boot-*.js from www/, with the file names
#     filled in and content hashes in every name, as Trunk does, so caches never mix builds.
set -euo pipefail
cd "$(dirname "$0")/.."
staging=${TRUNK_STAGING_DIR:?this script is run by trunk build (a post_build hook)}
profile=${TRUNK_PROFILE:-release}

# RUSTFLAGS (here CARGO_ENCODED_RUSTFLAGS) replaces the config file's target rustflags.
# std is rebuilt (without atomics) only to leave out reference types, as the threaded
# build does (see .cargo/config.toml).
unset RUSTFLAGS
export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
export CARGO_ENCODED_RUSTFLAGS="-Ctarget-feature=+simd128,-reference-types"
cargo_profile=()
[[ $profile == release ]] && cargo_profile=(--release)
cargo build "${cargo_profile[@]}" --target wasm32-unknown-unknown -p forecast-web --bin forecast-web \
    --target-dir target/single
built=target/single/wasm32-unknown-unknown/$profile/forecast-web.wasm

hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }
out=$staging/single
rm -rf "$out"
mkdir -p "$out"
name=forecast-single-$(hash_of "$built")
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name "$name" "$built"
if [[ $profile == release ]]; then
    # Debian's binaryen 108 (scripts/setup.sh); the module's features named, as 108 cannot
    # read them all from the module.
    wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
        --enable-nontrapping-float-to-int --enable-multivalue \
        "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
fi

fill() { sed -e "s|__SINGLE_JS__|$1|" -e "s|__SINGLE_WASM__|$2|" -e "s|__SINGLE_WORKER__|$3|"; }
fill "$name.js" "${name}_bg.wasm" "" <www/single-worker.js >"$out/worker.js"
worker=worker-$(hash_of "$out/worker.js" "$out/$name.js" "$out/${name}_bg.wasm").js
mv "$out/worker.js" "$out/$worker"
fill "single/$name.js" "single/${name}_bg.wasm" "single/$worker" <www/boot.js >"$staging/boot.js"
boot=boot-$(hash_of "$staging/boot.js").js
mv "$staging/boot.js" "$staging/$boot"
sed -i "s|src=\"\([^\"]*\)boot\.js\"|src=\"\1$boot\"|" "$staging/index.html"
grep -q "$boot" "$staging/index.html" || { echo "build-single: no boot.js script in index.html" >&2; exit 1; }
echo "build-single: $out/${name}_bg.wasm ($(stat -c %s "$out/${name}_bg.wasm") bytes), $boot"
