-- Remote workers (ferry worker): their tokens, their registrations, and which builds they may run and run.
-- A worker token belongs to no user (user_id NULL): it names its worker and authenticates only the worker routes.
-- SQLite cannot drop a NOT NULL constraint, so api_tokens is rebuilt (nothing refers to it).
CREATE TABLE api_tokens_new (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES users(id) ON DELETE CASCADE,
    token_sha       TEXT    NOT NULL UNIQUE,
    label           TEXT,
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER,
    worker          TEXT,
    created_by      TEXT,
    CHECK ((user_id IS NULL) <> (worker IS NULL))
);
INSERT INTO api_tokens_new (id, user_id, token_sha, label, created_at, last_used_at)
    SELECT id, user_id, token_sha, label, created_at, last_used_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;

-- A remote worker, by the name its token gives it; state is 'running' or 'lost' (its heartbeat stopped).
CREATE TABLE workers (
    name            TEXT    PRIMARY KEY,
    tags            TEXT    NOT NULL,
    runtime         TEXT    NOT NULL,
    capacity        INTEGER NOT NULL,
    version         TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    registered_at   INTEGER NOT NULL,
    heartbeat_at    INTEGER NOT NULL,
    lost_at         INTEGER
);

-- The union of a build's steps' tags: only a worker with all of them runs it; a build without any runs on untagged workers.
CREATE TABLE build_tags (
    build_id        INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
    tag             TEXT    NOT NULL,
    PRIMARY KEY (build_id, tag)
);

-- worker: the remote worker running the build (NULL on a server's embedded worker); worker_events: how many events it
-- sent so far, so a batch resent after a lost answer is stored once.
ALTER TABLE builds ADD COLUMN worker TEXT;
ALTER TABLE builds ADD COLUMN worker_events INTEGER NOT NULL DEFAULT 0;
CREATE INDEX builds_by_worker ON builds (worker) WHERE status = 'started';
-- A build that records a Node-RED instance's deploy reads the snapshot its put kept in the server's resource cache:
-- only a server's embedded worker runs it.
ALTER TABLE builds ADD COLUMN embedded_only BOOLEAN NOT NULL DEFAULT FALSE;

-- Whether the node runs builds itself (false with --no-embedded-worker), so every node lists every node's embedded worker.
ALTER TABLE nodes ADD COLUMN embedded_worker BOOLEAN NOT NULL DEFAULT TRUE;
