-- The audit log outlives its pipeline: destroying a pipeline keeps its entries (and records the destroy itself).
-- Each entry keeps the pipeline's name; pipeline_id becomes NULL when the pipeline goes.
ALTER TABLE audit_log ADD COLUMN pipeline_name TEXT;
UPDATE audit_log SET pipeline_name = p.name FROM pipelines p WHERE p.id = audit_log.pipeline_id;
UPDATE audit_log SET pipeline_name = '' WHERE pipeline_name IS NULL;
ALTER TABLE audit_log ALTER COLUMN pipeline_name SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN pipeline_id DROP NOT NULL;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pipeline_id_fkey;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_pipeline_id_fkey FOREIGN KEY (pipeline_id) REFERENCES pipelines(id) ON DELETE SET NULL;
CREATE INDEX audit_by_pipeline_name ON audit_log (pipeline_name, id);

-- Secret vars (set-pipeline --secret-var) are no longer kept in vars: their values are sealed (AES-GCM, the key is
-- the data directory's secrets.key) as one JSON object per config version. Existing rows are sealed by the
-- migration's data step (Secrets/SealExistingSecrets.cs), which also seals what was derived from them.
ALTER TABLE pipeline_configs ADD COLUMN secret_values TEXT;
