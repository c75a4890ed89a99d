#!/usr/bin/env bash
# Starts three local Node-RED instances for the example pipeline: development (1880), staging (1881) and production
# (1882, with adminAuth: user admin, password from NODE_RED_ADMIN_PASSWORD, default "ferry-example"), each with its
# own user directory under DIR. Each instance starts with a tab "Orders" (the same id everywhere) whose env key API_URL
# has that instance's own value; only development has nodes on it.
#
#   ./instances.sh start [DIR]   start the three instances (DIR defaults to /tmp/ferry-node-red)
#   ./instances.sh stop [DIR]    stop them
#
# Ports: DEVELOPMENT_PORT, STAGING_PORT, PRODUCTION_PORT (1880, 1881, 1882 unless set; pipeline.yml names these).
# Node-RED: $NODE_RED, else Ferry's .tools/node-red (./test.sh installs it), else `node-red` on PATH, else this
# script installs node-red@4 into DIR/node-red with npm.
set -euo pipefail
command=${1:-start}
dir=$(mkdir -p "${2:-/tmp/ferry-node-red}" && cd "${2:-/tmp/ferry-node-red}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
password=${NODE_RED_ADMIN_PASSWORD:-ferry-example}
names=(development staging production)
ports=("${DEVELOPMENT_PORT:-1880}" "${STAGING_PORT:-1881}" "${PRODUCTION_PORT:-1882}")

stop() {
  for name in "${names[@]}"; do
    if [ -f "$dir/$name/node-red.pid" ]; then
      kill "$(cat "$dir/$name/node-red.pid")" 2>/dev/null && echo "$name stopped" || true
      rm -f "$dir/$name/node-red.pid"
    fi
  done
}

case $command in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac

nodered=${NODE_RED:-}
[ -n "$nodered" ] || { [ -x "$here/../../.tools/node-red/node_modules/.bin/node-red" ] && nodered="$here/../../.tools/node-red/node_modules/.bin/node-red"; } || true
[ -n "$nodered" ] || nodered=$(command -v node-red || true)
if [ -z "$nodered" ]; then
  echo "installing node-red@4 into $dir/node-red"
  npm install --prefix "$dir/node-red" --no-audit --no-fund --loglevel=error node-red@4 >/dev/null
  nodered="$dir/node-red/node_modules/.bin/node-red"
fi
# bcryptjs ships with Node-RED: production's adminAuth password hash is made with it.
bcryptjs=$(cd "$(dirname "$(readlink -f "$nodered")")/.." && node -e 'console.log(require.resolve("bcryptjs"))' 2>/dev/null ||
  find "$(dirname "$(readlink -f "$nodered")")/../.." -path '*node_modules/bcryptjs/package.json' -print -quit | xargs dirname)
hash=$(node -e 'process.stdout.write(require(process.argv[1]).hashSync(process.argv[2], 8))' "$bcryptjs" "$password")

stop
for i in 0 1 2; do
  name=${names[$i]} port=${ports[$i]}
  mkdir -p "$dir/$name"
  auth=""
  [ "$name" = production ] && auth="adminAuth: { type: \"credentials\", users: [{ username: \"admin\", password: \"$hash\", permissions: \"*\" }] },"
  cat > "$dir/$name/settings.js" <<JS
module.exports = { uiHost: "127.0.0.1", uiPort: $port, userDir: "$dir/$name", flowFile: "flows.json",
  credentialSecret: false, editorTheme: { tours: false }, $auth };
JS
  if [ ! -f "$dir/$name/flows.json" ]; then
    value="https://api.$name.example"
    if [ "$name" = development ]; then
      cp "$here/flows/development.json" "$dir/$name/flows.json"
    else
      printf '[{"id":"orders","type":"tab","label":"Orders","env":[{"name":"API_URL","value":"%s","type":"str"}]}]\n' "$value" > "$dir/$name/flows.json"
    fi
  fi
  nohup "$nodered" --settings "$dir/$name/settings.js" >"$dir/$name/node-red.log" 2>&1 &
  echo $! > "$dir/$name/node-red.pid"
done
for i in 0 1 2; do
  up=""
  for _ in $(seq 1 120); do
    # /auth/login answers 200 once Node-RED listens, with adminAuth too (the editor's login form reads it).
    curl -sf -o /dev/null "http://127.0.0.1:${ports[$i]}/auth/login" && { up=yes; break; }
    sleep 0.5
  done
  if [ -z "$up" ]; then
    echo "${names[$i]} did not answer on http://127.0.0.1:${ports[$i]} within 60 s; its log:" >&2
    tail -n 20 "$dir/${names[$i]}/node-red.log" >&2
    exit 1
  fi
  echo "${names[$i]}: http://127.0.0.1:${ports[$i]} (log: $dir/${names[$i]}/node-red.log)"
done
echo "production's editor and Admin API need user admin, password $password"
