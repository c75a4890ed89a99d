-- Names of the vars given at set-pipeline as secret (JSON array): their values are redacted from build logs
-- and never returned by the API.
ALTER TABLE pipeline_configs ADD COLUMN secret_vars TEXT NOT NULL DEFAULT '[]';
