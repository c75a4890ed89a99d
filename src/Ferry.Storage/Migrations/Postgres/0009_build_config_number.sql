-- The pipeline config version a build was planned with: the runner takes its resource types and secret vars from that
-- version, whatever is set after the build was created (NULL for builds from before this column).
ALTER TABLE builds ADD COLUMN config_number INTEGER;
