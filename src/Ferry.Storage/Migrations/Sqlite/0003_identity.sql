-- Local users, their teams and API tokens: as much as approvals (teams) and protected environments (owners) need.
-- Tokens are stored as SHA-256 hashes; the token itself is shown once, when it is created.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    owner           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      INTEGER NOT NULL
);

CREATE TABLE team_members (
    team            TEXT    NOT NULL,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (team, user_id)
);

CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_sha       TEXT    NOT NULL UNIQUE,
    label           TEXT,
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER
);
