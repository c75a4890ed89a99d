-- An environment that left its pipeline (a per-pull-request environment whose branch is gone) is torn down once:
-- the promoter runs its teardown: plan as a build and marks it here, so a restart neither loses nor repeats it.
ALTER TABLE environments ADD COLUMN torn_down BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE environments ADD COLUMN teardown_build_id INTEGER;
