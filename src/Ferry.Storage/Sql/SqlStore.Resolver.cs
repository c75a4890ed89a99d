using Dapper;
using Ferry.Core.Resolving;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public Task<ResolverRows> GetResolverRowsAsync(int pipelineId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c =>
        {
            // One read transaction, so the lists agree with each other (a build and its inputs, a version and its order).
            await using var tx = await _dialect.BeginSnapshotAsync(c, cancellationToken);
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
            var outputs = await c.QueryAsync<(long BuildId, long ResourceId, long VersionId)>(Cmd(
                "SELECT o.build_id, o.resource_id, o.version_id FROM build_outputs o JOIN builds b ON b.id = o.build_id " +
                "WHERE b.pipeline_id = @pipelineId AND b.job_id IS NOT NULL AND b.status = 'succeeded' ORDER BY o.build_id", p, cancellationToken, tx));
            var inputs = await c.QueryAsync<(long BuildId, string Name, long ResourceId, long VersionId)>(Cmd(
                "SELECT i.build_id, i.name, i.resource_id, i.version_id FROM build_inputs i JOIN builds b ON b.id = i.build_id " +
                "WHERE b.pipeline_id = @pipelineId AND b.job_id IS NOT NULL ORDER BY i.build_id, i.name", p, cancellationToken, tx));
            var pipes = await c.QueryAsync<(long From, long To)>(Cmd(
                "SELECT bp.from_build_id, bp.to_build_id FROM build_pipes bp JOIN builds b ON b.id = bp.to_build_id " +
                "WHERE b.pipeline_id = @pipelineId AND b.job_id IS NOT NULL ORDER BY bp.to_build_id, bp.from_build_id", p, cancellationToken, tx));
            await tx.CommitAsync(cancellationToken);
            return new ResolverRows(
                [.. resources.Select(r => new SnapshotResource((int)r.Id, r.Name))],
                [.. jobs.Select(j => new SnapshotJob((int)j.Id, j.Name))],
                [.. versions.Select(v => new SnapshotVersion((int)v.ResourceId, v.Id, v.CheckOrder, v.Disabled))],
                [.. builds.Select(b => new SnapshotBuild(b.Id, (int)b.JobId, b.Status == "succeeded", b.RerunOf))],
                [.. outputs.Select(o => new SnapshotBuildOutput(o.BuildId, (int)o.ResourceId, o.VersionId))],
                [.. inputs.Select(i => new SnapshotBuildInput(i.BuildId, i.Name, (int)i.ResourceId, i.VersionId))],
                [.. pipes.Select(x => new SnapshotBuildPipe(x.From, x.To))]);
        }, cancellationToken);
}
