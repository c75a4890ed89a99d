#!/bin/sh
# Unit tests: the greeting for a given name and the default.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
fail=0
check() {
  got=$("$here/hello" "$@" 2>&1)
  if [ "$got" = "$expected" ]; then echo "ok   hello $* -> $got"; else echo "FAIL hello $*: got '$got', want '$expected'"; fail=1; fi
}
expected="Hello, world!"; check
expected="Hello, Ferry!"; check Ferry
exit $fail
