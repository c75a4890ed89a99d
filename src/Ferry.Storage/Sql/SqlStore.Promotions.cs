using System.Data.Common;
using Dapper;
using Ferry.Core.Promotion;
using Ferry.Storage.Environments;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public Task<PromotionRecord?> GetPromotionAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (await LoadPromotionsAsync(c, null, "p.id = @id", new { id }, cancellationToken)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<PromotionRecord>> ListPromotionsAsync(int pipelineId, string? environment = null, int limit = 100, CancellationToken cancellationToken = default) =>
        ReadAsync(c => LoadPromotionsAsync(c, null, "p.pipeline_id = @pipelineId AND (@environment IS NULL OR e.name = @environment) ORDER BY p.id DESC LIMIT @limit",
            new { pipelineId = (long)pipelineId, environment, limit = (long)limit }, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PromotionRecord>> ListPromotionsInStatusAsync(IReadOnlyList<PromotionStatus> statuses, int limit = 100, CancellationToken cancellationToken = default) =>
        statuses.Count == 0
            ? Task.FromResult<IReadOnlyList<PromotionRecord>>([])
            : ReadAsync(c => LoadPromotionsAsync(c, null,
                $"p.status IN ({string.Join(", ", statuses.Select(s => $"'{s.ToText()}'"))}) ORDER BY p.id LIMIT @limit",
                new { limit = (long)limit }, cancellationToken), cancellationToken);

    private static async Task<IReadOnlyList<PromotionRecord>> LoadPromotionsAsync(DbConnection c, DbTransaction? transaction, string where, object parameters,
        CancellationToken cancellationToken)
    {
        var rows = (await c.QueryAsync<PromotionRow>(Cmd($"{PromotionRow.Select} WHERE {where}", parameters, cancellationToken, transaction))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }
        var votes = (await c.QueryAsync<ApprovalRow>(Cmd(
            // Ids inline (numbers, no injection): Dapper expands IN @list for SQLite but passes one array parameter to Npgsql.
            $"SELECT promotion_id, approver, approved, comment, created_at FROM approvals WHERE promotion_id IN ({string.Join(",", rows.Select(r => r.Id))}) ORDER BY id",
            null, cancellationToken, transaction))).ToLookup(a => a.PromotionId, a => a.ToVote());
        return [.. rows.Select(r => r.ToRecord([.. votes[r.Id]]))];
    }
}
