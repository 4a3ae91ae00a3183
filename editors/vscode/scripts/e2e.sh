#!/usr/bin/env bash
# The end-to-end test in a real VS Code: builds the .vsix, makes sure
# code-server is installed (scripts/setup.sh), and runs test/e2e/driver.mjs.
# tests/tests/e2e/vscode.rs calls it and checks RESULT.
#
# Usage: bash scripts/e2e.sh CACHE_DIR WORKSPACE SERVER OUT_DIR RESULT
set -euo pipefail
cd "$(dirname "$0")/.."
cache=$1 workspace=$2 server=$3 out=$4 result=$5
code_server=$(bash scripts/setup.sh "$cache")
npm run --silent package >&2
rm -rf "$out" && mkdir -p "$out"
node test/e2e/driver.mjs "$code_server" "$PWD/wasmlens.vsix" "$workspace" "$server" "$out" "$result"
