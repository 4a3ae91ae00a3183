#!/usr/bin/env bash
# The extension's own tests: lint and format (biome), the protocol types
# against the server's snapshots of its answers (scripts/check-protocol.mjs,
# then tsc), unit tests (vitest), grammar snapshots on real WIT files, and
# packaging the .vsix (so it never rots). The end-to-end test in VS Code
# runs with the Rust tests (tests/tests/e2e/vscode.rs), which need the
# server binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx biome ci .
node scripts/check-protocol.mjs
npx tsc --noEmit -p .
npx vitest run
npm run --silent test:grammar
npm run --silent package
if python3 -m zipfile -l wasmlens.vsix | grep -q 'extension/server/'; then
  echo "error: the universal wasmlens.vsix carries a server binary (left in server/?)" >&2
  exit 1
fi
echo "vscode: lint, format, protocol, types, unit tests, grammar snapshots and the .vsix are good"
