-- Snapshots of an instance-bound environment's flows: what Ferry deployed there (a promotion or a rollback), what a
-- person asked to keep, and drifted states Ferry saw. The flows themselves live in the snapshot cache, by hash; shape
-- is the hash without environment values (those belong to the instance), which drift is judged by.
CREATE TABLE instance_snapshots (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    environment_id  INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    hash            TEXT    NOT NULL,
    shape           TEXT    NOT NULL,
    rev             TEXT,
    nodes           INTEGER NOT NULL,
    promotion_id    INTEGER REFERENCES promotions(id) ON DELETE SET NULL,
    release_number  INTEGER,
    made_by         TEXT    NOT NULL,
    made_at         INTEGER NOT NULL,
    forced          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX instance_snapshots_by_environment ON instance_snapshots (environment_id, id);

-- An instance whose flows differ from the snapshot Ferry last deployed there: one row per environment while it lasts.
CREATE TABLE instance_drift (
    environment_id  INTEGER PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,
    deployed_id     INTEGER NOT NULL REFERENCES instance_snapshots(id) ON DELETE CASCADE,
    live_id         INTEGER NOT NULL REFERENCES instance_snapshots(id) ON DELETE CASCADE,
    since           INTEGER NOT NULL
);

-- A promotion a person forced over drift: its deploy overwrites the hand edits instead of refusing.
ALTER TABLE promotions ADD COLUMN forced BOOLEAN NOT NULL DEFAULT FALSE;
