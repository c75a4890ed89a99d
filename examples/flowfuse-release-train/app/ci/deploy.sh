#!/bin/sh
# Deploys the image digest the release carries: pulled by digest (a tag may have moved since), never rebuilt, so
# production runs byte for byte what staging tested. The container is named <pipeline>-<environment>.
set -eu
name="$FERRY_PIPELINE-$FERRY_ENVIRONMENT"
image="$(cat image/repository)@$(cat image/digest)"
podman pull --quiet --tls-verify=false "$image" > /dev/null
podman rm --force --time 2 "$name" > /dev/null 2>&1 || true
podman run --detach --quiet --name "$name" --publish 127.0.0.1::3000 \
  --label io.ferry.example=flowfuse-release-train --label "ferry.pipeline=$FERRY_PIPELINE" \
  --env APP_ENVIRONMENT="$FERRY_ENVIRONMENT" "$image" > /dev/null
echo "$FERRY_ENVIRONMENT runs $image on http://$(podman port "$name" 3000/tcp)"
