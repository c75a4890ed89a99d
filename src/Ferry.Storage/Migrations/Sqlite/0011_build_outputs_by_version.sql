-- The resource page lists the builds that put each version: build_outputs is keyed by build, so find them by version too.
CREATE INDEX build_outputs_by_version ON build_outputs (version_id);
