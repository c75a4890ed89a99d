#!/bin/sh
# Builds built/image (an OCI image layout) from node-base/image.tar and $APP_DIR, with umoci: no daemon, no root
# needed outside the task's container. The image says which npm version it holds (org.opencontainers.image.version),
# which Ferry shows next to the digest in every promotion preview.
set -eu
revision=$(cat "$REVISION_FILE" 2>/dev/null || echo unknown)
if [ -n "${VERSION_FILE:-}" ]; then
  version=$(cat "$VERSION_FILE")
else
  # A branch has no published version: package.json's, marked with its commit (and stamped into the image's
  # package.json below, so that the app serves the version its label says, as a published package does).
  version="$(sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' "$APP_DIR/package.json")-pr.$(echo "$revision" | cut -c 1-7)"
fi
stage=$(mktemp -d)
cp -a "$APP_DIR/." "$stage/"
rm -rf "$stage/.git"
sed -i "s/^  \"version\": *\"[^\"]*\"/  \"version\": \"$version\"/" "$stage/package.json"
mkdir -p built/image
tar -xf node-base/image.tar -C built/image
tag=$(umoci ls --layout built/image | head -n 1)
umoci insert --image "built/image:$tag" "$stage" /app
umoci config --image "built/image:$tag" \
  --config.workingdir /app --config.cmd node --config.cmd server.js \
  --config.env PORT=3000 --config.exposedports 3000/tcp \
  --config.label "org.opencontainers.image.title=train-app" \
  --config.label "org.opencontainers.image.version=$version" \
  --config.label "org.opencontainers.image.revision=$revision"
umoci gc --layout built/image
rm -f built/image/manifest.json   # docker's index of the base image, no longer true
(cd built/image && tar -cf ../image.tar oci-layout index.json blobs)
echo "$version" > built/version
echo "$version" | tr '+' '_' > built/tags
echo "built train-app $version (revision $revision) on node-base:$tag"
