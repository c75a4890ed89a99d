#!/bin/sh
# Deploys the release in ./app to $DEPLOY_ROOT/$FERRY_ENVIRONMENT: a copy per release under releases/, the
# environment's config (its variables) written next to the code, and `current` flipped to it in one rename, so
# the environment runs either the old release or the new one, never half of each.
set -eu
for name in DEPLOY_ROOT FERRY_ENVIRONMENT FERRY_RELEASE GREETING; do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "deploy: $name is not set (the environment's variables and FERRY_ENVIRONMENT/FERRY_RELEASE come from Ferry)" >&2
    exit 1
  fi
done
case "$GREETING" in
  *"
"*) echo "deploy: GREETING must be one line" >&2; exit 1 ;;
esac

site="$DEPLOY_ROOT/$FERRY_ENVIRONMENT"
target="$site/releases/$FERRY_RELEASE"
commit=$(git -C app rev-parse HEAD 2>/dev/null || cat app/.git/ref 2>/dev/null || echo unknown)

mkdir -p "$site/releases"
rm -rf "$target.new"
mkdir "$target.new"
(cd app && tar --exclude=./.git -cf - .) | (cd "$target.new" && tar -xf -)
{
  echo "# written by ci/deploy.sh for $FERRY_ENVIRONMENT"
  printf 'GREETING=%s\n' "$GREETING"
  printf 'FERRY_ENVIRONMENT=%s\n' "$FERRY_ENVIRONMENT"
  printf 'FERRY_RELEASE=%s\n' "$FERRY_RELEASE"
  printf 'COMMIT=%s\n' "$commit"
} > "$target.new/config.env"
# A redeploy (a rollback, or the same release again) replaces that release's copy and config.
rm -rf "$target"
mv "$target.new" "$target"
ln -sfn "releases/$FERRY_RELEASE" "$site/current.new"
mv -T "$site/current.new" "$site/current"
echo "deployed $FERRY_RELEASE (commit $commit) to $site: current -> releases/$FERRY_RELEASE"
