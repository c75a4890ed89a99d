-- Pipelines, resources, jobs, versions, builds and their events.
-- Times are milliseconds since the Unix epoch (UTC) in both dialects, so the SQL stays shared.
-- Environments, releases, promotions, approvals, users, variables and audit come in later migrations;
-- builds.job_id is nullable so a promotion build can exist without a job.

CREATE TABLE pipelines (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    paused          BOOLEAN NOT NULL DEFAULT FALSE,
    current_config  INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE pipeline_configs (
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    yaml            TEXT    NOT NULL,
    vars            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    created_by      TEXT,
    PRIMARY KEY (pipeline_id, number)
);

CREATE TABLE resources (
    id              INTEGER PRIMARY KEY,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    type            TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    config          TEXT    NOT NULL,
    config_hash     TEXT    NOT NULL,
    scope           INTEGER NOT NULL DEFAULT 1,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    webhook_token   TEXT,
    last_checked_at INTEGER,
    last_check_error TEXT,
    next_check_at   INTEGER,
    pinned_version_id INTEGER,
    pin_comment     TEXT,
    UNIQUE (pipeline_id, name)
);

CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    config          TEXT    NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    paused          BOOLEAN NOT NULL DEFAULT FALSE,
    build_counter   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (pipeline_id, name)
);

CREATE TABLE versions (
    id              INTEGER PRIMARY KEY,
    resource_id     INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    scope           INTEGER NOT NULL,
    version         TEXT    NOT NULL,
    version_sha     TEXT    NOT NULL,
    metadata        TEXT    NOT NULL,
    check_order     INTEGER NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      INTEGER NOT NULL,
    UNIQUE (resource_id, scope, version_sha)
);
CREATE INDEX versions_by_order ON versions (resource_id, scope, check_order);

CREATE TABLE builds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_id     INTEGER REFERENCES pipelines(id) ON DELETE CASCADE,
    job_id          INTEGER REFERENCES jobs(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    plan            TEXT    NOT NULL,
    rerun_of        INTEGER REFERENCES builds(id) ON DELETE CASCADE,
    created_by      TEXT,
    created_at      INTEGER NOT NULL,
    started_at      INTEGER,
    ended_at        INTEGER,
    reason          TEXT,
    claimed_by      TEXT,
    abort_requested BOOLEAN NOT NULL DEFAULT FALSE,
    rerun_counter   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX builds_by_job ON builds (job_id, id);
CREATE INDEX builds_by_pipeline ON builds (pipeline_id, id);
CREATE INDEX builds_by_status ON builds (status, id);

CREATE TABLE build_inputs (
    build_id        INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    resource_id     INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    version_id      INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    first_occurrence BOOLEAN NOT NULL,
    PRIMARY KEY (build_id, name)
);
CREATE INDEX build_inputs_by_version ON build_inputs (version_id);

CREATE TABLE build_outputs (
    build_id        INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
    resource_id     INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    version_id      INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    PRIMARY KEY (build_id, resource_id, version_id)
);

CREATE TABLE build_pipes (
    from_build_id   INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
    to_build_id     INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
    PRIMARY KEY (from_build_id, to_build_id)
);
CREATE INDEX build_pipes_to ON build_pipes (to_build_id);

CREATE TABLE build_events (
    build_id        INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    time            INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    step_id         TEXT,
    stream          TEXT,
    text            TEXT,
    payload         TEXT,
    PRIMARY KEY (build_id, seq)
) WITHOUT ROWID;
