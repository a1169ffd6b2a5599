# Sourced by www/build and tests/run-all: installs the pinned tools the page needs, skipping
# what is already there at the right version. Everything comes from crates.io, npm or apt.
TRUNK_VERSION=0.21.14
# Must equal the wasm-bindgen crate version pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130
# wasm-opt, from npm's binaryen (pinned in tools/package.json and its lockfile) into tools/:
# Debian's binaryen is too old to read this compiler's output. Trunk.toml asks for this version.
WASM_OPT_VERSION=132
# (www/pack.mjs compresses the single file's blocks with python3's standard library: nothing to
# install.)

# Where `cargo install` puts the tools: $CARGO_HOME/bin, ~/.cargo/bin when it is unset.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$(pwd)/tools/node_modules/.bin:$PATH"

say() { printf '\n== %s\n' "$*"; }

install_page_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "Installing Trunk $TRUNK_VERSION (takes several minutes once)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WASM_BINDGEN_VERSION" ]; then
    say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: its lockfile wants a webpki-roots release crates.io does not have.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if [ "$(wasm-opt --version 2>/dev/null | cut -d' ' -f3)" != "$WASM_OPT_VERSION" ]; then
    say "Installing wasm-opt (binaryen $WASM_OPT_VERSION) from npm into tools/"
    (cd tools && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

install_browser() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "Installing Debian's Chromium"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
  fi
}

# Firefox ESR (Debian's) and geckodriver (crates.io, pinned) for tests/e2e/firefox.test.mjs:
# playwright-core drives only its own Firefox builds, which cannot be downloaded here.
GECKODRIVER_VERSION=0.37.1

install_firefox() {
  if [ ! -x /usr/bin/firefox-esr ]; then
    say "Installing Debian's Firefox ESR"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq firefox-esr
  fi
  if [ "$(geckodriver --version 2>/dev/null | head -1 | cut -d' ' -f2)" != "$GECKODRIVER_VERSION" ]; then
    say "Installing geckodriver $GECKODRIVER_VERSION (takes a few minutes once)"
    cargo install --locked geckodriver --version "$GECKODRIVER_VERSION"
  fi
}

# The served page into dist/, then the single file dist/nbtriage.html (www/pack.mjs), whose
# SHA-256 it prints (and writes to dist/nbtriage.html.sha256).
build_page() {
  install_page_tools
  say "Building the page into dist/"
  trunk build --release --offline --skip-version-check
  say "Packing the single file dist/nbtriage.html"
  node www/pack.mjs dist
}

# The single file's size, a standing check (issue 25): every feature of the page shares one budget
# of 900 KB (921,600 bytes) for dist/nbtriage.html. Prints both modules' sizes (raw and gzip -9)
# and fails, saying by how much, when the file passes the limit. SIZE_LIMIT=... tries another.
SIZE_LIMIT_DEFAULT=921600

check_size() {
  local limit="${SIZE_LIMIT:-$SIZE_LIMIT_DEFAULT}" file=dist/nbtriage.html total=0 raw gz size
  for module in dist/app_bg.wasm dist/worker_bg.wasm; do
    raw=$(wc -c <"$module")
    gz=$(gzip -9 -n -c "$module" | wc -c)
    total=$((total + gz))
    printf '%s: %d bytes, gzip -9 %d bytes\n' "$module" "$raw" "$gz"
  done
  printf 'both modules: gzip -9 %d bytes\n' "$total"
  size=$(wc -c <"$file")
  if [ "$size" -gt "$limit" ]; then
    printf '%s: %d bytes, over the limit of %d bytes by %d: the page must shrink before it grows\n' \
      "$file" "$size" "$limit" "$((size - limit))" >&2
    return 1
  fi
  printf '%s: %d bytes, within the limit of %d bytes (%d to spare)\n' "$file" "$size" "$limit" "$((limit - size))"
}
