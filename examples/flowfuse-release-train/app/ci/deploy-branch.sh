#!/bin/sh
# Loads the branch's image into podman and runs it as <pipeline>-<environment>, replacing the previous commit's.
set -eu
name="$FERRY_PIPELINE-$FERRY_ENVIRONMENT"
id=$(podman pull --quiet "oci-archive:$PWD/built/image.tar")
podman rm --force --time 2 "$name" > /dev/null 2>&1 || true
podman run --detach --quiet --name "$name" --publish 127.0.0.1::3000 \
  --label io.ferry.example=flowfuse-release-train --label "ferry.pipeline=$FERRY_PIPELINE" \
  --env APP_ENVIRONMENT="$FERRY_ENVIRONMENT" "$id" > /dev/null
echo "$FERRY_ENVIRONMENT runs $(cat built/version) ($id) on http://$(podman port "$name" 3000/tcp)"
