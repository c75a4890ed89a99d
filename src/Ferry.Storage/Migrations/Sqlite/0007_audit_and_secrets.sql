-- The audit log outlives its pipeline: destroying a pipeline keeps its entries (and records the destroy itself).
-- Each entry keeps the pipeline's name; pipeline_id becomes NULL when the pipeline goes, so a new pipeline that
-- gets the same id (SQLite reuses the highest rowid once it is deleted) does not inherit the old one's history.
-- SQLite cannot change a foreign key in place: the table is built anew with the same rows.
CREATE TABLE audit_log_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_id     INTEGER REFERENCES pipelines(id) ON DELETE SET NULL,
    pipeline_name   TEXT    NOT NULL,
    environment     TEXT,
    at              INTEGER NOT NULL,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    promotion_id    INTEGER,
    release_number  INTEGER,
    detail          TEXT
);
INSERT INTO audit_log_new (id, pipeline_id, pipeline_name, environment, at, actor, action, promotion_id, release_number, detail)
    SELECT a.id, a.pipeline_id, COALESCE(p.name, ''), a.environment, a.at, a.actor, a.action, a.promotion_id, a.release_number, a.detail
    FROM audit_log a LEFT JOIN pipelines p ON p.id = a.pipeline_id;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_by_pipeline ON audit_log (pipeline_id, id);
CREATE INDEX audit_by_pipeline_name ON audit_log (pipeline_name, id);

-- Secret vars (set-pipeline --secret-var) are no longer kept in vars: their values are sealed (AES-GCM, the key is
-- the data directory's secrets.key) as one JSON object per config version. Existing rows are sealed by the
-- migration's data step (Secrets/SealExistingSecrets.cs), which also seals what was derived from them.
ALTER TABLE pipeline_configs ADD COLUMN secret_values TEXT;
