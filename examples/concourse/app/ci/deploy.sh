#!/bin/sh
# "Deploys" the app: packs it into the release output, as a real deploy task would push it somewhere.
set -e
version=$(cat src/.git/ref)
tar -czf "release/greeting-$version.tgz" -C src greeting
echo "deployed greeting $version to $ENVIRONMENT ($API_URL) on $(cat /etc/general-task-release)"
ls -l release
