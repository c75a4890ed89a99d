-- Environments, releases, verified-in records, promotions, approvals, environment variables and the audit log.
-- Secret variable values are AES-GCM ciphertexts (the key lives in a file in the data directory, never here).

CREATE TABLE releases (
    id              INTEGER PRIMARY KEY,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    content_id      TEXT    NOT NULL,
    content         TEXT    NOT NULL,
    source_build_id INTEGER REFERENCES builds(id) ON DELETE SET NULL,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      INTEGER NOT NULL,
    UNIQUE (pipeline_id, number),
    UNIQUE (pipeline_id, content_id)
);

CREATE TABLE release_versions (
    release_id      INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    resource_id     INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    version_id      INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    PRIMARY KEY (release_id, resource_id)
);

CREATE TABLE environments (
    id              INTEGER PRIMARY KEY,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    upstream        TEXT    NOT NULL,
    any_upstream    BOOLEAN NOT NULL DEFAULT FALSE,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    current_release_id INTEGER REFERENCES releases(id) ON DELETE SET NULL,
    current_since   INTEGER,
    current_by      TEXT,
    hold_by         TEXT,
    hold_reason     TEXT,
    hold_at         INTEGER,
    UNIQUE (pipeline_id, name)
);

CREATE TABLE promotions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    environment_id  INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    release_id      INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    trigger_kind    TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    requested_by    TEXT    NOT NULL,
    build_id        INTEGER REFERENCES builds(id) ON DELETE SET NULL,
    reason          TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    ended_at        INTEGER
);
CREATE INDEX promotions_by_environment ON promotions (environment_id, id);
CREATE INDEX promotions_by_status ON promotions (status, id);

CREATE TABLE release_verifications (
    release_id      INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    environment_id  INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    promotion_id    INTEGER REFERENCES promotions(id) ON DELETE SET NULL,
    verified_at     INTEGER NOT NULL,
    PRIMARY KEY (release_id, environment_id)
);

CREATE TABLE approvals (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    promotion_id    INTEGER NOT NULL REFERENCES promotions(id) ON DELETE CASCADE,
    approver        TEXT    NOT NULL,
    approved        BOOLEAN NOT NULL,
    comment         TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX approvals_by_promotion ON approvals (promotion_id, id);

CREATE TABLE environment_variables (
    environment_id  INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    value           TEXT,
    secret          BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at      INTEGER NOT NULL,
    updated_by      TEXT,
    PRIMARY KEY (environment_id, name)
);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    environment     TEXT,
    at              INTEGER NOT NULL,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    promotion_id    INTEGER,
    release_number  INTEGER,
    detail          TEXT
);
CREATE INDEX audit_by_pipeline ON audit_log (pipeline_id, id);
