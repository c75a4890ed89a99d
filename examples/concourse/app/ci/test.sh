#!/bin/sh
# The app's tests, run in the general-task image (busybox): a greeting for a name and the default one.
set -e
cd "$(dirname "$0")/.."
echo "testing on $(cat /etc/general-task-release) as $(id -un)"
[ "$(sh greeting Ferry)" = "Hello, Ferry!" ] || { echo "FAIL: greeting for a name"; exit 1; }
[ "$(sh greeting)" = "Hello, world!" ] || { echo "FAIL: default greeting"; exit 1; }
echo "2 tests passed"
