-- The scheduler keeps each pipeline's resolver snapshot and reads only what changed since its last pass.
-- New versions are found by id per resource of the current scope: (resource_id, scope, id) answers "versions of this
-- resource newer than id n" without walking the resource's history (versions_by_order would, in check order).
CREATE INDEX versions_since ON versions (resource_id, scope, id);
-- A version's check order or disabled flag changes in place, which no id shows: such writes count up the resource's
-- version_epoch, and a reader that sees it move reads that resource's versions again.
ALTER TABLE resources ADD COLUMN version_epoch BIGINT NOT NULL DEFAULT 0;
