-- The Environment aggregate is saved with an optimistic version: a save whose version moved on meanwhile (another
-- node or request saved first) is refused and the decision is made again on fresh state.
ALTER TABLE environments ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
