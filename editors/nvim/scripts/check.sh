#!/usr/bin/env bash
# Checks that the Lua of the Neovim plugin (editors/nvim) and of its tests
# (tests/nvim) is formatted as StyLua formats it, with editors/nvim/stylua.toml;
# with --fix, formats it instead. StyLua comes from npm
# (@johnnymorganz/stylua-bin, whose platform package carries the binary),
# pinned by package-lock.json beside this script and installed next to it
# once, and again when the lock changes.
#
# Usage: bash editors/nvim/scripts/check.sh [--fix]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

if ! cmp -s "$here/package-lock.json" "$here/node_modules/.package-lock.stamp" 2>/dev/null; then
  echo "installing StyLua from npm" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
  cp "$here/package-lock.json" "$here/node_modules/.package-lock.stamp"
fi

cd "$root"
stylua=("$here/node_modules/.bin/stylua" --config-path editors/nvim/stylua.toml)
if [ "${1:-}" = "--fix" ]; then
  "${stylua[@]}" editors/nvim tests/nvim
elif ! "${stylua[@]}" --check editors/nvim tests/nvim; then
  echo "error: Lua is not formatted; run \`bash editors/nvim/scripts/check.sh --fix\`" >&2
  exit 1
fi
echo "nvim: the Lua of editors/nvim and tests/nvim is formatted"
