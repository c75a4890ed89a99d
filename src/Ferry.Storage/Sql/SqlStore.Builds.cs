using Dapper;
using Ferry.Core.Builds;
using Ferry.Core.Versions;
using Ferry.Storage.Builds;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public Task<BuildRecord> CreateBuildAsync(NewBuild build, CancellationToken cancellationToken = default) => Changed(
        WriteAsync(async scope =>
        {
            var c = scope.Connection;
            string name;
            if (build.RerunOf is { } original)
            {
                var counter = await c.ExecuteScalarAsync<long?>(Cmd(scope,
                    "UPDATE builds SET rerun_counter = rerun_counter + 1 WHERE id = @original RETURNING rerun_counter", new { original }, cancellationToken))
                    ?? throw new StoreException($"creating a rerun: build {original} does not exist");
                var originalName = await c.ExecuteScalarAsync<string>(Cmd(scope, "SELECT name FROM builds WHERE id = @original", new { original }, cancellationToken));
                name = $"{originalName}.{counter}";
            }
            else if (build.JobId is { } jobId)
            {
                var counter = await c.ExecuteScalarAsync<long?>(Cmd(scope,
                    "UPDATE jobs SET build_counter = build_counter + 1 WHERE id = @jobId RETURNING build_counter", new { jobId = (long)jobId }, cancellationToken))
                    ?? throw new StoreException($"creating a build: job {jobId} does not exist");
                name = counter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                name = build.Name ?? "";
            }
            var plan = await SealPlanAsync(scope, build.PipelineId, build.PlanJson, cancellationToken);
            var id = await c.ExecuteScalarAsync<long>(Cmd(scope,
                "INSERT INTO builds (pipeline_id, job_id, name, status, plan, rerun_of, created_by, created_at) " +
                "VALUES (@PipelineId, @JobId, @name, 'pending', @plan, @RerunOf, @CreatedBy, @now) RETURNING id",
                new { PipelineId = (long)build.PipelineId, JobId = (long?)build.JobId, name, plan, build.RerunOf, build.CreatedBy, now = Now },
                cancellationToken));
            if (build.ConfigNumber is { } configNumber)
            {
                await c.ExecuteAsync(Cmd(scope, "UPDATE builds SET config_number = @configNumber WHERE id = @id",
                    new { id, configNumber = (long)configNumber }, cancellationToken));
            }
            var placement = Ferry.Core.Plans.PlanPlacement.Of(Ferry.Core.Plans.PlanJson.Deserialize(build.PlanJson));
            await c.ExecuteAsync(Cmd(scope, "INSERT INTO build_tags (build_id, tag) VALUES (@id, @tag)",
                placement.Tags.Select(tag => new { id, tag }), cancellationToken));
            if (placement.EmbeddedOnly)
            {
                await c.ExecuteAsync(Cmd(scope, "UPDATE builds SET embedded_only = TRUE WHERE id = @id", new { id }, cancellationToken));
            }
            if (name.Length == 0)
            {
                await c.ExecuteAsync(Cmd(scope, "UPDATE builds SET name = @name WHERE id = @id",
                    new { id, name = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken));
            }
            await c.ExecuteAsync(Cmd(scope,
                "INSERT INTO build_inputs (build_id, name, resource_id, version_id, first_occurrence) VALUES (@id, @Name, @ResourceId, @VersionId, @FirstOccurrence)",
                build.Inputs.Select(i => new { id, i.Name, ResourceId = (long)i.ResourceId, i.VersionId, i.FirstOccurrence }), cancellationToken));
            await c.ExecuteAsync(Cmd(scope,
                "INSERT INTO build_pipes (from_build_id, to_build_id) VALUES (@from, @id) ON CONFLICT DO NOTHING",
                build.PipesFrom.Distinct().Select(from => new { from, id }), cancellationToken));
            return await GetBuildAsync(scope, id, cancellationToken);
        }, cancellationToken), Events.PipelineChangeKind.Build, b => b.PipelineId);

    public Task<BuildRecord?> ClaimNextBuildAsync(string claimedBy, CancellationToken cancellationToken = default) =>
        ClaimNextBuildAsync(Workers.BuildClaimer.Embedded(claimedBy), cancellationToken);

    public Task<BuildRecord> FinishBuildAsync(long buildId, BuildStatus status, string? reason = null, CancellationToken cancellationToken = default) => Changed(
        WriteAsync(async scope =>
        {
            if (!status.IsFinal())
            {
                throw new InvalidOperationException($"build {buildId}: {StatusText.Of(status)} is not a final status");
            }
            var current = await CurrentStatusAsync(scope, buildId, cancellationToken);
            BuildStatusTransitions.Guard(buildId, current, status);
            await scope.Connection.ExecuteAsync(Cmd(scope,
                "UPDATE builds SET status = @status, ended_at = @now, reason = COALESCE(@reason, reason) WHERE id = @buildId",
                new { buildId, status = StatusText.Of(status), reason, now = Now }, cancellationToken));
            return await GetBuildAsync(scope, buildId, cancellationToken);
        }, cancellationToken), Events.PipelineChangeKind.Build, b => b.PipelineId);

    public Task<BuildRecord?> RequestAbortAsync(long buildId, string? reason = null, CancellationToken cancellationToken = default) => Changed(
        WriteAsync<BuildRecord?>(async scope =>
        {
            var status = await scope.Connection.ExecuteScalarAsync<string?>(Cmd(scope,
                $"SELECT status FROM builds WHERE id = @buildId{_dialect.ForUpdate}", new { buildId }, cancellationToken));
            if (status is null)
            {
                return null;
            }
            var sql = StatusText.Parse(status) switch
            {
                BuildStatus.Pending => "UPDATE builds SET status = 'aborted', abort_requested = TRUE, ended_at = @now, reason = @reason WHERE id = @buildId",
                BuildStatus.Started => "UPDATE builds SET abort_requested = TRUE, reason = COALESCE(@reason, reason) WHERE id = @buildId",
                _ => null,
            };
            if (sql is not null)
            {
                await scope.Connection.ExecuteAsync(Cmd(scope, sql, new { buildId, reason, now = Now }, cancellationToken));
            }
            return await GetBuildAsync(scope, buildId, cancellationToken);
        }, cancellationToken), Events.PipelineChangeKind.Build, b => b?.PipelineId);

    /// <summary>A started build whose runner is gone becomes errored, with the reason and an error and status event.</summary>
    private async Task ErrorStartedBuildInScopeAsync(WriteScope scope, long id, string reason, CancellationToken cancellationToken)
    {
        await scope.Connection.ExecuteAsync(Cmd(scope,
            "UPDATE builds SET status = 'errored', ended_at = @now, reason = @reason WHERE id = @id AND status = 'started'",
            new { id, reason, now = Now }, cancellationToken));
        await AppendInScopeAsync(scope, id,
        [
            new BuildEvent(id, 0, _clock.GetUtcNow(), BuildEventType.Error, Text: reason),
            new BuildEvent(id, 0, _clock.GetUtcNow(), BuildEventType.Status, Text: StatusText.Of(BuildStatus.Errored)),
        ], cancellationToken);
    }

    public Task<BuildRecord?> GetBuildAsync(long buildId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<BuildRow>(Cmd(
            $"{BuildRow.Select} WHERE b.id = @buildId", new { buildId }, cancellationToken)))?.ToRecord(_secrets), cancellationToken);

    public Task<BuildRecord?> GetJobBuildAsync(int jobId, string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<BuildRow>(Cmd(
            $"{BuildRow.Select} WHERE b.job_id = @jobId AND b.name = @name", new { jobId = (long)jobId, name }, cancellationToken)))?.ToRecord(_secrets), cancellationToken);

    public Task<IReadOnlyList<BuildRecord>> ListBuildsAsync(BuildQuery query, CancellationToken cancellationToken = default)
    {
        // Only the filters asked for go into the text: SQLite does not fold "@jobId IS NULL OR b.job_id = @jobId", so
        // that form walked every build newest first instead of builds_by_job (a job's page read all history).
        var where = string.Concat(
            query.PipelineId is null ? "" : " AND b.pipeline_id = @pipelineId",
            query.JobId is null ? "" : " AND b.job_id = @jobId",
            query.BeforeId is null ? "" : " AND b.id < @beforeId");
        return ReadAsync<IReadOnlyList<BuildRecord>>(async c => [.. (await c.QueryAsync<BuildRow>(Cmd(
            $"{BuildRow.Select} WHERE TRUE{where} {AmongPipelines(query.PipelineIds)} ORDER BY b.id DESC LIMIT @limit",
            new { pipelineId = (long?)query.PipelineId, jobId = (long?)query.JobId, beforeId = query.BeforeId, limit = Math.Clamp(query.Limit, 1, 10_000) },
            cancellationToken))).Select(r => r.ToRecord(_secrets))], cancellationToken);
    }

    // Ids are integers, so they go into the text as they are; an empty set matches nothing.
    private static string AmongPipelines(IReadOnlyCollection<int>? ids) =>
        ids is null ? "" : ids.Count == 0 ? "AND FALSE" : $"AND b.pipeline_id IN ({string.Join(",", ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";

    public Task<IReadOnlyList<BuildInputRecord>> GetBuildInputsAsync(long buildId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<BuildInputRecord>>(async c => [.. (await c.QueryAsync<BuildInputRow>(Cmd(
            "SELECT i.build_id, i.name, i.resource_id, r.name AS resource_name, i.version_id, v.version, v.metadata, i.first_occurrence " +
            "FROM build_inputs i JOIN resources r ON r.id = i.resource_id JOIN versions v ON v.id = i.version_id WHERE i.build_id = @buildId ORDER BY i.name",
            new { buildId }, cancellationToken))).Select(r => new BuildInputRecord(
                r.BuildId, r.Name, (int)r.ResourceId, r.ResourceName, r.VersionId, Col.Version(r.Version, r.Metadata), r.FirstOccurrence))], cancellationToken);

    public Task<IReadOnlyList<BuildOutputRecord>> GetBuildOutputsAsync(long buildId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<BuildOutputRecord>>(async c => [.. (await c.QueryAsync<BuildOutputRow>(Cmd(
            "SELECT o.build_id, o.resource_id, r.name AS resource_name, o.version_id, v.version, v.metadata " +
            "FROM build_outputs o JOIN resources r ON r.id = o.resource_id JOIN versions v ON v.id = o.version_id WHERE o.build_id = @buildId ORDER BY r.name, o.version_id",
            new { buildId }, cancellationToken))).Select(r => new BuildOutputRecord(
                r.BuildId, (int)r.ResourceId, r.ResourceName, r.VersionId, Col.Version(r.Version, r.Metadata)))], cancellationToken);

    public Task<VersionRecord> SaveBuildOutputAsync(long buildId, int resourceId, ResourceVersion version, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var saved = (await SaveVersionsAsync(scope, resourceId, [version], cancellationToken))[0];
            await scope.Connection.ExecuteAsync(Cmd(scope,
                "INSERT INTO build_outputs (build_id, resource_id, version_id) VALUES (@buildId, @resourceId, @versionId) ON CONFLICT DO NOTHING",
                new { buildId, resourceId = (long)resourceId, versionId = saved.Id }, cancellationToken));
            return saved;
        }, cancellationToken);

    public Task<IReadOnlyList<JobInFlight>> GetInFlightAsync(int pipelineId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<JobInFlight>>(async c => [.. (await c.QueryAsync<(long JobId, long Pending, long Started)>(Cmd(
            "SELECT job_id, SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'started' THEN 1 ELSE 0 END) " +
            "FROM builds WHERE pipeline_id = @pipelineId AND job_id IS NOT NULL AND status IN ('pending', 'started') GROUP BY job_id ORDER BY job_id",
            new { pipelineId = (long)pipelineId }, cancellationToken))).Select(r => new JobInFlight((int)r.JobId, (int)r.Pending, (int)r.Started))],
            cancellationToken);

    private async Task<BuildStatus> CurrentStatusAsync(WriteScope scope, long buildId, CancellationToken cancellationToken)
    {
        var status = await scope.Connection.ExecuteScalarAsync<string?>(Cmd(scope,
            $"SELECT status FROM builds WHERE id = @buildId{_dialect.ForUpdate}", new { buildId }, cancellationToken));
        return status is null ? throw new StoreException($"build {buildId} does not exist") : StatusText.Parse(status);
    }

    private async Task<BuildRecord> GetBuildAsync(WriteScope scope, long buildId, CancellationToken cancellationToken) =>
        (await scope.Connection.QuerySingleAsync<BuildRow>(Cmd(scope, $"{BuildRow.Select} WHERE b.id = @buildId", new { buildId }, cancellationToken))).ToRecord(_secrets);
}
