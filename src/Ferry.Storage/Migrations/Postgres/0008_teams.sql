-- Teams own pipelines (Concourse's teams): a pipeline belongs to one team, 'main' unless set-pipeline --team names
-- another; a user's membership of a team carries a role, which says what they may do with that team's pipelines.
ALTER TABLE pipelines ADD COLUMN team TEXT NOT NULL DEFAULT 'main';
ALTER TABLE team_members ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member', 'operator', 'viewer'));
