#!/bin/sh
# Integration test: the packaged script runs from another directory, as an installed app would.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
cp "$here/hello" "$tmp/hello"
cd /
out=$("$tmp/hello" integration)
rm -rf "$tmp"
[ "$out" = "Hello, integration!" ] || { echo "FAIL: got '$out'"; exit 1; }
echo "ok   installed copy greets: $out"
