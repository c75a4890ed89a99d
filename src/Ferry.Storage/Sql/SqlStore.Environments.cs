using System.Data.Common;
using System.Text.Json;
using Dapper;
using Ferry.Core.Promotion;
using Ferry.Storage.Environments;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public Task<IReadOnlyList<EnvironmentRecord>> SyncEnvironmentsAsync(int pipelineId, IReadOnlyList<EnvironmentNode> environments, CancellationToken cancellationToken = default)
    {
        var graph = new EnvironmentGraph(environments);
        return WriteAsync<IReadOnlyList<EnvironmentRecord>>(async scope =>
        {
            var c = scope.Connection;
            foreach (var node in graph.Nodes)
            {
                await c.ExecuteAsync(Cmd(scope,
                    "INSERT INTO environments (pipeline_id, name, upstream, any_upstream, active) VALUES (@pipelineId, @Name, @upstream, @AnyUpstream, TRUE) " +
                    "ON CONFLICT (pipeline_id, name) DO UPDATE SET upstream = excluded.upstream, any_upstream = excluded.any_upstream, active = TRUE, " +
                    // Back again (a branch pushed anew): a later removal tears it down again.
                    "torn_down = FALSE, teardown_build_id = NULL",
                    new { pipelineId = (long)pipelineId, node.Name, upstream = JsonSerializer.Serialize(node.Upstream), node.AnyUpstream }, cancellationToken));
            }
            var known = await c.QueryAsync<string>(Cmd(scope, "SELECT name FROM environments WHERE pipeline_id = @pipelineId AND active",
                new { pipelineId = (long)pipelineId }, cancellationToken));
            foreach (var gone in known.Where(name => !graph.Contains(name)).ToList())
            {
                await c.ExecuteAsync(Cmd(scope, "UPDATE environments SET active = FALSE WHERE pipeline_id = @pipelineId AND name = @gone",
                    new { pipelineId = (long)pipelineId, gone }, cancellationToken));
            }
            return await ListEnvironmentsAsync(c, scope.Transaction, pipelineId, cancellationToken);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<EnvironmentRecord>> ListRetiredEnvironmentsAsync(int pipelineId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<EnvironmentRecord>>(async c => [.. (await c.QueryAsync<EnvironmentRow>(Cmd(
            $"{EnvironmentRow.Select} WHERE e.pipeline_id = @pipelineId AND NOT e.active AND NOT e.torn_down " +
            "AND EXISTS (SELECT 1 FROM promotions p WHERE p.environment_id = e.id) ORDER BY e.id",
            new { pipelineId = (long)pipelineId }, cancellationToken))).Select(r => r.ToRecord())], cancellationToken);

    public Task MarkTornDownAsync(int environmentId, long? buildId, CancellationToken cancellationToken = default) =>
        WriteAsync(scope => scope.Connection.ExecuteAsync(Cmd(scope,
            "UPDATE environments SET torn_down = TRUE, teardown_build_id = @buildId WHERE id = @environmentId AND NOT active",
            new { environmentId = (long)environmentId, buildId }, cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(int pipelineId, CancellationToken cancellationToken = default) =>
        ReadAsync(c => ListEnvironmentsAsync(c, null, pipelineId, cancellationToken), cancellationToken);

    public Task<EnvironmentRecord?> GetEnvironmentAsync(int pipelineId, string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<EnvironmentRow>(Cmd(
            $"{EnvironmentRow.Select} WHERE e.pipeline_id = @pipelineId AND e.name = @name AND e.active",
            new { pipelineId = (long)pipelineId, name }, cancellationToken)))?.ToRecord(), cancellationToken);

    public async Task<IReadOnlyDictionary<int, IReadOnlyList<EnvironmentRecord>>> ListEnvironmentsAsync(IReadOnlyCollection<int> pipelineIds,
        CancellationToken cancellationToken = default)
    {
        if (pipelineIds.Count == 0)
        {
            return new Dictionary<int, IReadOnlyList<EnvironmentRecord>>();
        }
        // Ids inline (numbers, no injection): Dapper expands IN @list for SQLite but passes one array parameter to Npgsql.
        var ids = string.Join(", ", pipelineIds.Distinct().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var records = await ReadAsync(async c => (await c.QueryAsync<EnvironmentRow>(Cmd(
            $"{EnvironmentRow.Select} WHERE e.pipeline_id IN ({ids}) AND e.active ORDER BY e.pipeline_id, e.id", null, cancellationToken)))
            .Select(r => r.ToRecord()).ToList(), cancellationToken);
        return records.GroupBy(r => r.PipelineId).ToDictionary(g => g.Key, g => InGraphOrder([.. g]));
    }

    private static IReadOnlyList<EnvironmentRecord> InGraphOrder(IReadOnlyList<EnvironmentRecord> records)
    {
        var order = new EnvironmentGraph(records.Select(r => r.ToNode())).Order.ToList();
        return [.. records.OrderBy(r => order.IndexOf(r.Name))];
    }

    private async Task<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(DbConnection c, DbTransaction? transaction, int pipelineId, CancellationToken cancellationToken)
    {
        var records = (await c.QueryAsync<EnvironmentRow>(Cmd($"{EnvironmentRow.Select} WHERE e.pipeline_id = @pipelineId AND e.active ORDER BY e.id",
            new { pipelineId = (long)pipelineId }, cancellationToken, transaction))).Select(r => r.ToRecord()).ToList();
        return InGraphOrder(records);
    }

    private static async Task<EnvironmentRecord?> GetEnvironmentByIdAsync(DbConnection c, DbTransaction? transaction, int environmentId, CancellationToken cancellationToken) =>
        (await c.QuerySingleOrDefaultAsync<EnvironmentRow>(Cmd($"{EnvironmentRow.Select} WHERE e.id = @environmentId",
            new { environmentId = (long)environmentId }, cancellationToken, transaction)))?.ToRecord();
}
