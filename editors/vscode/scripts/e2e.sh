#!/usr/bin/env bash
# The end-to-end test in a real VS Code: builds the universal .vsix and a
# linux-x64 .vsix that bundles SERVER (stripped), makes sure code-server is
# installed (scripts/setup.sh), and runs test/e2e/driver.mjs.
# tests/tests/e2e/vscode.rs calls it and checks RESULT.
#
# Usage: bash scripts/e2e.sh CACHE_DIR WORKSPACE SERVER OUT_DIR RESULT
set -euo pipefail
cd "$(dirname "$0")/.."
cache=$1 workspace=$2 server=$3 out=$4 result=$5
code_server=$(bash scripts/setup.sh "$cache")
rm -rf "$out" && mkdir -p "$out"
npm run --silent package >&2
# The platform .vsix carries the server; without debug info it is a
# quarter of the size, and quicker to pack and install.
strip -o "$out/wasmlens-bundled" "$server"
WASMLENS_BUNDLE="$out/wasmlens-bundled" npm run --silent package:linux-x64 >&2
node test/e2e/driver.mjs "$code_server" "$PWD/wasmlens.vsix" "$PWD/wasmlens-linux-x64.vsix" "$workspace" "$server" "$out" "$result"
