using System.Data.Common;
using System.Globalization;
using Dapper;
using Ferry.Core.Resolving;
using Ferry.Storage.Builds;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private const int IdsPerQuery = 500;

    public Task<ResolverRows> GetResolverRowsAsync(int pipelineId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c =>
        {
            // One read transaction, so the lists agree with each other (a build and its inputs, a version and its order).
            await using var tx = await _dialect.BeginSnapshotAsync(c, cancellationToken);
            var rows = await ReadAllResolverRowsAsync(c, tx, pipelineId, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return rows;
        }, cancellationToken);

    public Task<ResolverRead?> ReadResolverAsync(int pipelineId, ResolverCursor? since, CancellationToken cancellationToken = default) =>
        ReadAsync(async c =>
        {
            await using var tx = await _dialect.BeginSnapshotAsync(c, cancellationToken);
            var p = new { pipelineId = (long)pipelineId };
            var configNumber = await c.ExecuteScalarAsync<long?>(Cmd("SELECT current_config FROM pipelines WHERE id = @pipelineId", p, cancellationToken, tx));
            if (configNumber is null)
            {
                await tx.CommitAsync(cancellationToken);
                return null;
            }
            var horizon = await _dialect.SnapshotHorizonAsync(c, tx, cancellationToken);
            var epochs = (await c.QueryAsync<(long Id, long Epoch)>(Cmd(
                "SELECT id, version_epoch FROM resources WHERE pipeline_id = @pipelineId", p, cancellationToken, tx))).ToDictionary(r => (int)r.Id, r => r.Epoch);
            var unfinished = (await c.QueryAsync<long>(Cmd(
                "SELECT id FROM builds WHERE pipeline_id = @pipelineId AND job_id IS NOT NULL AND status IN ('pending', 'started')", p, cancellationToken, tx))).ToHashSet();
            var maxVersion = await c.ExecuteScalarAsync<long>(Cmd("SELECT COALESCE(MAX(id), 0) FROM versions", null, cancellationToken, tx));
            var maxBuild = await c.ExecuteScalarAsync<long>(Cmd("SELECT COALESCE(MAX(id), 0) FROM builds", null, cancellationToken, tx));

            var (versionsAfter, buildsAfter, marks) = Promote(since, horizon);
            // Resources came or went, or a mark never settled since the first read: the rows since then are the whole history anyway.
            var full = since is null || since.ConfigNumber != configNumber || !epochs.Keys.ToHashSet().SetEquals(since.VersionEpochs.Keys)
                || (versionsAfter == 0 && buildsAfter == 0 && marks.Count > 0);
            ResolverRows? rows = null;
            ResolverDelta? delta = null;
            if (full)
            {
                rows = await ReadAllResolverRowsAsync(c, tx, pipelineId, cancellationToken);
                (versionsAfter, buildsAfter, marks) = (0, 0, []);
            }
            else
            {
                delta = await ReadResolverDeltaAsync(c, tx, pipelineId, since!, epochs, unfinished, versionsAfter, buildsAfter, cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);

            if (horizon is null || horizon.Value.Oldest == horizon.Value.Next)
            {
                // No transaction was open beside this read: every id up to the highest is in what it saw.
                (versionsAfter, buildsAfter, marks) = (maxVersion, maxBuild, []);
            }
            else if (maxVersion > versionsAfter || maxBuild > buildsAfter)
            {
                // Taken after the read, so it also covers a transaction that drew an id just before the read and began just after.
                var next = await _dialect.NextTransactionAsync(c, cancellationToken) ?? horizon.Value.Next;
                marks = [.. marks, new ResolverMark(maxVersion, maxBuild, next)];
            }
            var cursor = new ResolverCursor((int)configNumber.Value, versionsAfter, buildsAfter, epochs, unfinished, marks);
            return new ResolverRead(rows, delta, cursor);
        }, cancellationToken);

    /// <summary>The "after" ids of <paramref name="since"/>, moved up to every mark whose open transactions have all ended.</summary>
    private static (long Versions, long Builds, List<ResolverMark> Marks) Promote(ResolverCursor? since, TransactionHorizon? horizon)
    {
        if (since is null)
        {
            return (0, 0, []);
        }
        var (versions, builds) = (since.VersionsAfter, since.BuildsAfter);
        var marks = new List<ResolverMark>();
        foreach (var mark in since.Marks)
        {
            if (horizon is null || mark.Next <= horizon.Value.Oldest)
            {
                versions = Math.Max(versions, mark.Versions);
                builds = Math.Max(builds, mark.Builds);
            }
            else
            {
                marks.Add(mark);
            }
        }
        return (versions, builds, marks);
    }

    private async Task<ResolverRows> ReadAllResolverRowsAsync(DbConnection c, DbTransaction tx, int pipelineId, CancellationToken cancellationToken)
    {
        var p = new { pipelineId = (long)pipelineId };
        var resources = await c.QueryAsync<(long Id, string Name)>(Cmd(
            "SELECT id, name FROM resources WHERE pipeline_id = @pipelineId ORDER BY id", p, cancellationToken, tx));
        var jobs = await c.QueryAsync<(long Id, string Name)>(Cmd(
            "SELECT id, name FROM jobs WHERE pipeline_id = @pipelineId AND active ORDER BY id", p, cancellationToken, tx));
        var versions = await c.QueryAsync<(long ResourceId, long Id, long CheckOrder, bool Disabled)>(Cmd(
            "SELECT v.resource_id, v.id, v.check_order, v.disabled FROM versions v JOIN resources r ON r.id = v.resource_id AND v.scope = r.scope " +
            "WHERE r.pipeline_id = @pipelineId ORDER BY v.resource_id, v.check_order", p, cancellationToken, tx));
        // Builds without a job (promotions) take no part in passed constraints: their inputs and outputs stay out too.
        var builds = await c.QueryAsync<(long Id, long JobId, string Status, long? RerunOf)>(Cmd(
            "SELECT id, job_id, status, rerun_of FROM builds WHERE pipeline_id = @pipelineId AND job_id IS NOT NULL ORDER BY id", p, cancellationToken, tx));
        // Ordered in full (not only by build): the resolver walks a build's outputs in this order, and a later read of
        // just the changed builds must give them in the same one.
        var outputs = await c.QueryAsync<(long BuildId, long ResourceId, long VersionId)>(Cmd(
            "SELECT o.build_id, o.resource_id, o.version_id FROM build_outputs o JOIN builds b ON b.id = o.build_id " +
            "WHERE b.pipeline_id = @pipelineId AND b.job_id IS NOT NULL AND b.status = 'succeeded' ORDER BY o.build_id, o.resource_id, o.version_id", p, cancellationToken, tx));
        var inputs = await c.QueryAsync<(long BuildId, string Name, long ResourceId, long VersionId)>(Cmd(
            "SELECT i.build_id, i.name, i.resource_id, i.version_id FROM build_inputs i JOIN builds b ON b.id = i.build_id " +
            "WHERE b.pipeline_id = @pipelineId AND b.job_id IS NOT NULL ORDER BY i.build_id, i.name", p, cancellationToken, tx));
        var pipes = await c.QueryAsync<(long From, long To)>(Cmd(
            "SELECT bp.from_build_id, bp.to_build_id FROM build_pipes bp JOIN builds b ON b.id = bp.to_build_id " +
            "WHERE b.pipeline_id = @pipelineId AND b.job_id IS NOT NULL ORDER BY bp.to_build_id, bp.from_build_id", p, cancellationToken, tx));
        return new ResolverRows(
            [.. resources.Select(r => new SnapshotResource((int)r.Id, r.Name))],
            [.. jobs.Select(j => new SnapshotJob((int)j.Id, j.Name))],
            [.. versions.Select(v => new SnapshotVersion((int)v.ResourceId, v.Id, v.CheckOrder, v.Disabled))],
            [.. builds.Select(b => new SnapshotBuild(b.Id, (int)b.JobId, b.Status == "succeeded", b.RerunOf))],
            [.. outputs.Select(o => new SnapshotBuildOutput(o.BuildId, (int)o.ResourceId, o.VersionId))],
            [.. inputs.Select(i => new SnapshotBuildInput(i.BuildId, i.Name, (int)i.ResourceId, i.VersionId))],
            [.. pipes.Select(x => new SnapshotBuildPipe(x.From, x.To))]);
    }

    private async Task<ResolverDelta> ReadResolverDeltaAsync(DbConnection c, DbTransaction tx, int pipelineId, ResolverCursor since,
        Dictionary<int, long> epochs, HashSet<long> unfinished, long versionsAfter, long buildsAfter, CancellationToken cancellationToken)
    {
        var p = new { pipelineId = (long)pipelineId, versionsAfter, buildsAfter };
        var reloaded = epochs.Where(e => since.VersionEpochs[e.Key] != e.Value).Select(e => e.Key).ToHashSet();
        // Per resource of the pipeline, its current scope's versions above the id (index versions_since).
        var versions = (await c.QueryAsync<(long ResourceId, long Id, long CheckOrder, bool Disabled)>(Cmd(
            "SELECT v.resource_id, v.id, v.check_order, v.disabled FROM resources r JOIN versions v ON v.resource_id = r.id AND v.scope = r.scope AND v.id > @versionsAfter " +
            "WHERE r.pipeline_id = @pipelineId ORDER BY v.resource_id, v.check_order", p, cancellationToken, tx)))
            .Where(v => !reloaded.Contains((int)v.ResourceId))
            .Select(v => new SnapshotVersion((int)v.ResourceId, v.Id, v.CheckOrder, v.Disabled)).ToList();
        var reloadedVersions = new Dictionary<int, IReadOnlyList<SnapshotVersion>>();
        foreach (var resourceId in reloaded)
        {
            reloadedVersions[resourceId] = [.. (await c.QueryAsync<(long Id, long CheckOrder, bool Disabled)>(Cmd(
                "SELECT v.id, v.check_order, v.disabled FROM versions v JOIN resources r ON r.id = v.resource_id AND v.scope = r.scope " +
                "WHERE r.id = @resourceId ORDER BY v.check_order", new { resourceId = (long)resourceId }, cancellationToken, tx)))
                .Select(v => new SnapshotVersion(resourceId, v.Id, v.CheckOrder, v.Disabled))];
        }
        // New builds (index builds_by_pipeline), and the ones that were running and have ended since.
        var touched = (await c.QueryAsync<long>(Cmd(
            "SELECT id FROM builds WHERE pipeline_id = @pipelineId AND id > @buildsAfter AND job_id IS NOT NULL", p, cancellationToken, tx))).ToHashSet();
        touched.UnionWith(since.Unfinished.Where(id => !unfinished.Contains(id)));
        var builds = new List<SnapshotBuild>();
        var outputs = new List<SnapshotBuildOutput>();
        var inputs = new List<SnapshotBuildInput>();
        var pipes = new List<SnapshotBuildPipe>();
        foreach (var chunk in touched.Order().Chunk(IdsPerQuery))
        {
            // Ids are integers, so they go into the text as they are.
            var ids = string.Join(",", chunk.Select(i => i.ToString(CultureInfo.InvariantCulture)));
            builds.AddRange((await c.QueryAsync<(long Id, long JobId, string Status, long? RerunOf)>(Cmd(
                $"SELECT id, job_id, status, rerun_of FROM builds WHERE id IN ({ids}) AND job_id IS NOT NULL ORDER BY id", null, cancellationToken, tx)))
                .Select(b => new SnapshotBuild(b.Id, (int)b.JobId, b.Status == "succeeded", b.RerunOf)));
            outputs.AddRange((await c.QueryAsync<(long BuildId, long ResourceId, long VersionId)>(Cmd(
                "SELECT o.build_id, o.resource_id, o.version_id FROM build_outputs o JOIN builds b ON b.id = o.build_id " +
                $"WHERE o.build_id IN ({ids}) AND b.status = 'succeeded' ORDER BY o.build_id, o.resource_id, o.version_id", null, cancellationToken, tx)))
                .Select(o => new SnapshotBuildOutput(o.BuildId, (int)o.ResourceId, o.VersionId)));
            inputs.AddRange((await c.QueryAsync<(long BuildId, string Name, long ResourceId, long VersionId)>(Cmd(
                $"SELECT build_id, name, resource_id, version_id FROM build_inputs WHERE build_id IN ({ids}) ORDER BY build_id, name", null, cancellationToken, tx)))
                .Select(i => new SnapshotBuildInput(i.BuildId, i.Name, (int)i.ResourceId, i.VersionId)));
            pipes.AddRange((await c.QueryAsync<(long From, long To)>(Cmd(
                $"SELECT from_build_id, to_build_id FROM build_pipes WHERE to_build_id IN ({ids}) ORDER BY to_build_id, from_build_id", null, cancellationToken, tx)))
                .Select(x => new SnapshotBuildPipe(x.From, x.To)));
        }
        return new ResolverDelta(versions, reloadedVersions, builds, outputs, inputs, pipes);
    }
}
