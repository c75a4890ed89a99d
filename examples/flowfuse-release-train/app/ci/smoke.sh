#!/bin/sh
# Waits up to 20 s for the app to answer, then checks it serves the version its image carries and greets.
set -eu
name="$FERRY_PIPELINE-$FERRY_ENVIRONMENT"
address=$(podman port "$name" 3000/tcp)
expected=$(podman inspect --format '{{ index .Config.Labels "org.opencontainers.image.version" }}' "$name")
tries=0
until curl -fsS "http://$address/health" > /dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 100 ] || { echo "smoke: $name does not answer on http://$address/health"; podman logs "$name"; exit 1; }
  sleep 0.2
done
served=$(curl -fsS "http://$address/version")
case "$served" in
  *"\"version\":\"$expected\""*"\"environment\":\"$FERRY_ENVIRONMENT\""*) ;;
  *) echo "smoke: $name serves $served, expected version $expected in $FERRY_ENVIRONMENT"; exit 1 ;;
esac
greeting=$(curl -fsS "http://$address/?name=Ferry")
[ "$greeting" = "Hello, Ferry!" ] || { echo "smoke: $name greets '$greeting'"; exit 1; }
echo "smoke: $FERRY_ENVIRONMENT serves train-app $expected on http://$address and greets"
