#!/usr/bin/env bash
# Installs what the extension's tests need, once: Debian's chromium (and
# the headers code-server's native modules build against), the
# extension's npm packages (package-lock.json), and, given a cache
# directory, code-server from npm. Prints nothing on stdout but, with a
# cache directory, the code-server binary's path.
#
# Usage: bash scripts/setup.sh [CACHE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3

# Debian packages: chromium for the browser, the rest for code-server's
# native modules (kerberos, native-keymap, keytar) and its search (rg).
packages=(chromium libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: the VS Code tests need Debian packages: ${missing[*]}; install them with apt-get (as root)" >&2
    exit 1
  fi
  echo "installing Debian packages: ${missing[*]}" >&2
  apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2
fi

# The extension's packages, exactly as locked; again only when the lock
# changed since the last install.
if ! cmp -s package-lock.json node_modules/.package-lock.stamp 2>/dev/null; then
  echo "installing the extension's npm packages" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json node_modules/.package-lock.stamp
fi

[ $# -ge 1 ] || exit 0
cache=$1
prefix="$cache/code-server-$CODE_SERVER_VERSION"
bin="$prefix/node_modules/.bin/code-server"
if [ ! -x "$bin" ]; then
  echo "installing code-server $CODE_SERVER_VERSION from npm (builds native modules; a few minutes, once)" >&2
  rm -rf "$prefix" && mkdir -p "$prefix"
  (
    cd "$prefix"
    npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null
    tar xzf "code-server-$CODE_SERVER_VERSION.tgz" package/lib/vscode/npm-shrinkwrap.json
    # @vscode/ripgrep's install script downloads rg from GitHub, which
    # these machines cannot reach. It takes a cached download first: give
    # it Debian's rg under the name and place it looks for.
    rg_version=$(node -p "require('./package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep'].version")
    npm pack --silent "@vscode/ripgrep@$rg_version" >/dev/null
    tar xzf "vscode-ripgrep-$rg_version.tgz" package/lib/postinstall.js
    rg_release=$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" package/lib/postinstall.js)
    tmp="$prefix/tmp"
    mkdir -p "$tmp/vscode-ripgrep-cache-$rg_version" "$tmp/rg"
    cp "$(command -v rg)" "$tmp/rg/rg"
    tar czf "$tmp/vscode-ripgrep-cache-$rg_version/ripgrep-$rg_release-x86_64-unknown-linux-musl.tar.gz" -C "$tmp/rg" rg
    # As root, code-server's postinstall wants unsafe-perm; node-pty's runs
    # npx node-gyp, which must not stop to ask.
    TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --loglevel=error "./code-server-$CODE_SERVER_VERSION.tgz" >&2
  )
fi
echo "$bin"
