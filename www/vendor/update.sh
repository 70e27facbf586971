#!/usr/bin/env bash
# Refreshes the vendored browser libraries of the playground from the npm registry.
# www/ is served as static files with no build step, so the files are committed;
# this script only documents (and repeats) where they came from.
#   www/vendor/update.sh
set -euo pipefail
cd "$(dirname "$0")"
FFLATE=0.8.2   # URL-state compression (deflateSync/inflateSync), MIT
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "fflate@$FFLATE" >/dev/null && tar xzf "fflate-$FFLATE.tgz")
cp "$tmp/package/esm/browser.js" fflate.js
cp "$tmp/package/LICENSE" fflate.LICENSE
echo "vendored fflate $FFLATE"
