#!/usr/bin/env bash
# Starts a local OCI registry on 127.0.0.1 and fills it with the images the example pipeline names, built here from
# busybox-static (nothing comes from the internet): general-task (the tasks' image) and slack-notification-resource
# (a resource type: /opt/resource/check, in, out). Makes the app's git repository from app/, with the pipeline
# (ci/pipeline.yml) and its vars for this registry and directory (ci/config.yml) in it, as cloud.gov keeps theirs.
#
#   ./registry.sh start [DIR]   start the registry, push the images, make DIR/src.git (a working copy in DIR/src)
#   ./registry.sh stop [DIR]    stop the registry
#
# DIR defaults to /tmp/ferry-concourse; REGISTRY_PORT (default 5000) is the registry's port on 127.0.0.1.
# Needs: docker-registry skopeo umoci busybox-static git (apt-get install docker-registry skopeo umoci busybox-static git).
set -euo pipefail
command=${1:-start}
dir=$(mkdir -p "${2:-/tmp/ferry-concourse}" && cd "${2:-/tmp/ferry-concourse}" && pwd)
port=${REGISTRY_PORT:-5000}
here=$(cd "$(dirname "$0")" && pwd)
registry="127.0.0.1:$port"

stop() {
  if [ -f "$dir/registry.pid" ]; then
    kill "$(cat "$dir/registry.pid")" 2>/dev/null || true
    echo "registry stopped (pid $(cat "$dir/registry.pid"))"
    rm -f "$dir/registry.pid"
  fi
}

# An image of busybox (and its applets, PATH=/bin) plus the files under images/NAME, pushed as NAME:latest.
push_image() {
  local name=$1 work
  work=$(mktemp -d)
  mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/rootfs/tmp" "$work/rootfs/root"
  cp /bin/busybox "$work/rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$work/rootfs/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$work/rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$work/rootfs/etc/group"
  cp -a "$here/images/$name/." "$work/rootfs/"
  umoci init --layout "$work/oci"
  umoci new --image "$work/oci:latest"
  umoci insert --image "$work/oci:latest" "$work/rootfs" /
  umoci config --image "$work/oci:latest" --config.env PATH=/bin --config.cmd /bin/sh
  skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:latest" "docker://$registry/$name:latest"
  rm -rf "$work"
  echo "pushed $registry/$name:latest"
}

case $command in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac

for tool in docker-registry skopeo umoci git; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install docker-registry skopeo umoci busybox-static git)" >&2; exit 1; }
done
file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' ||
  { echo "$0: /bin/busybox is not static (apt-get install busybox-static)" >&2; exit 1; }

stop
cat > "$dir/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $dir/registry}}
http: {addr: $registry}
YAML
setsid docker-registry serve "$dir/registry.yml" > "$dir/registry.log" 2>&1 < /dev/null &
echo $! > "$dir/registry.pid"
for _ in $(seq 100); do
  curl -fs "http://$registry/v2/" > /dev/null && break
  sleep 0.1
done
curl -fs "http://$registry/v2/" > /dev/null || { echo "$0: the registry did not start (see $dir/registry.log)" >&2; exit 1; }
echo "registry on $registry (plain HTTP, as a loopback registry is)"

push_image general-task
push_image slack-notification-resource

rm -rf "$dir/src" "$dir/src.git"
cp -r "$here/app" "$dir/src"
# The pipeline's vars, committed next to it: set-self sets the pipeline from ci/pipeline.yml with ci/config.yml.
cat > "$dir/src/ci/config.yml" <<YAML
registry: $registry
repo: file://$dir/src.git
slack-webhook-url: https://hooks.slack.example/services/T000/B000/XXXX
slack-channel: "#cg-platform"
staging-api-url: https://api.staging.example
production-api-url: https://api.example
YAML
git -C "$dir/src" init -q -b main
git -C "$dir/src" add -A
git -C "$dir/src" -c user.name=Ferry -c user.email=ferry@localhost commit -qm "greeting"
git clone -q --bare "$dir/src" "$dir/src.git"
git -C "$dir/src" remote add origin "$dir/src.git"
echo "app repository $dir/src.git with its pipeline in ci/ (a working copy to change it in $dir/src)"
echo "now: ferry set-pipeline -p greeting -c $dir/src/ci/pipeline.yml -l $dir/src/ci/config.yml --yes"
