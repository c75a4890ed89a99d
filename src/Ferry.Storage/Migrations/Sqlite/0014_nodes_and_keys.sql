-- The server nodes sharing this store. Every start of a server is a node with an id of its own; its heartbeat tells
-- the other nodes it lives, and a node whose heartbeat stopped has its builds ended by the others.
CREATE TABLE nodes (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    started_at    INTEGER NOT NULL,
    heartbeat_at  INTEGER NOT NULL,
    stopped_at    INTEGER,
    stop_reason   TEXT
);
CREATE INDEX nodes_live ON nodes (heartbeat_at) WHERE stopped_at IS NULL;

-- Key material every node shares (the secrets key, the UI's data-protection keys), wrapped by the master key the
-- nodes are given; the master key itself is never stored.
CREATE TABLE key_ring (
    name        TEXT    PRIMARY KEY,
    purpose     TEXT    NOT NULL,
    wrapped     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
