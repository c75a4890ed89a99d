-- Remote workers (ferry worker): their tokens, their registrations, and which builds they may run and run.
-- A worker token belongs to no user (user_id NULL): it names its worker and authenticates only the worker routes.
ALTER TABLE api_tokens ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE api_tokens ADD COLUMN worker TEXT;
ALTER TABLE api_tokens ADD COLUMN created_by TEXT;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_user_or_worker CHECK ((user_id IS NULL) <> (worker IS NULL));

-- A remote worker, by the name its token gives it; state is 'running' or 'lost' (its heartbeat stopped).
CREATE TABLE workers (
    name            TEXT    PRIMARY KEY,
    tags            TEXT    NOT NULL,
    runtime         TEXT    NOT NULL,
    capacity        INTEGER NOT NULL,
    version         TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    registered_at   BIGINT  NOT NULL,
    heartbeat_at    BIGINT  NOT NULL,
    lost_at         BIGINT
);

-- The union of a build's steps' tags: only a worker with all of them runs it; a build without any runs on untagged workers.
CREATE TABLE build_tags (
    build_id        BIGINT  NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
    tag             TEXT    NOT NULL,
    PRIMARY KEY (build_id, tag)
);

-- worker: the remote worker running the build (NULL on a server's embedded worker); worker_events: how many events it
-- sent so far, so a batch resent after a lost answer is stored once.
ALTER TABLE builds ADD COLUMN worker TEXT;
ALTER TABLE builds ADD COLUMN worker_events BIGINT NOT NULL DEFAULT 0;
CREATE INDEX builds_by_worker ON builds (worker) WHERE status = 'started';
-- A build that records a Node-RED instance's deploy reads the snapshot its put kept in the server's resource cache:
-- only a server's embedded worker runs it.
ALTER TABLE builds ADD COLUMN embedded_only BOOLEAN NOT NULL DEFAULT FALSE;

-- Whether the node runs builds itself (false with --no-embedded-worker), so every node lists every node's embedded worker.
ALTER TABLE nodes ADD COLUMN embedded_worker BOOLEAN NOT NULL DEFAULT TRUE;
