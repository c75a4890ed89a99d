using System.Data.Common;
using Dapper;
using Ferry.Core.Promotion;
using Ferry.Storage.Environments;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public Task<PromotionRecord> CreatePromotionAsync(NewPromotion promotion, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var c = scope.Connection;
            var doing = $"promoting {ReleaseName.Of(promotion.ReleaseNumber)} into {promotion.Environment}";
            // The environment row lock orders concurrent promotions into one environment (PostgreSQL; SQLite has one writer).
            var environmentId = await c.ExecuteScalarAsync<long?>(Cmd(scope,
                $"SELECT id FROM environments WHERE pipeline_id = @PipelineId AND name = @Environment AND active{_dialect.ForUpdate}",
                new { PipelineId = (long)promotion.PipelineId, promotion.Environment }, cancellationToken))
                ?? throw new StoreException($"{doing}: pipeline {promotion.PipelineId} has no environment '{promotion.Environment}'");
            var environment = (await GetEnvironmentByIdAsync(c, scope.Transaction, (int)environmentId, cancellationToken))!;
            var release = (await LoadReleasesAsync(c, scope.Transaction, promotion.PipelineId, promotion.ReleaseNumber, 1, cancellationToken)).FirstOrDefault()
                ?? throw new StoreException($"{doing}: pipeline {promotion.PipelineId} has no release {ReleaseName.Of(promotion.ReleaseNumber)}");
            var graph = new EnvironmentGraph((await ListEnvironmentsAsync(c, scope.Transaction, promotion.PipelineId, cancellationToken)).Select(e => e.ToNode()));
            var refusal = promotion.Trigger == PromotionTrigger.Rollback
                ? Eligibility.CheckRollback(promotion.Environment, release.ToStanding())
                : Eligibility.Check(graph, promotion.Environment, release.ToStanding());
            if (refusal is null && promotion.Trigger == PromotionTrigger.Auto && environment.Hold is { } held)
            {
                refusal = Refusal.Held(promotion.Environment, release.Name, held);
            }
            if (refusal is not null)
            {
                throw new PromotionRefusedException(refusal);
            }
            var status = promotion.Approval is { Required: > 0 } ? PromotionStatus.AwaitingApproval : PromotionStatus.Pending;
            var now = Now;
            var id = await c.ExecuteScalarAsync<long>(Cmd(scope,
                "INSERT INTO promotions (pipeline_id, environment_id, release_id, trigger_kind, status, requested_by, created_at, updated_at) " +
                "VALUES (@PipelineId, @environmentId, @releaseId, @trigger, @status, @RequestedBy, @now, @now) RETURNING id",
                new { PipelineId = (long)promotion.PipelineId, environmentId, releaseId = release.Id, trigger = promotion.Trigger.ToText(),
                    status = status.ToText(), promotion.RequestedBy, now }, cancellationToken));
            var isRollback = promotion.Trigger == PromotionTrigger.Rollback;
            await AuditAsync(scope, promotion.PipelineId, promotion.Environment, promotion.RequestedBy,
                isRollback ? AuditActions.Rollback : AuditActions.Promotion, id, promotion.ReleaseNumber,
                $"{promotion.Trigger.ToText()} promotion of {release.Name}, {status.ToText()}", cancellationToken);
            if (isRollback || (promotion.Trigger == PromotionTrigger.Manual && environment.Hold is not null))
            {
                var hold = isRollback ? new Hold(promotion.RequestedBy, $"a rollback to {release.Name}", Col.Time(now)) : null;
                await c.ExecuteAsync(Cmd(scope, "UPDATE environments SET hold_by = @By, hold_reason = @Reason, hold_at = @At WHERE id = @environmentId",
                    new { By = hold?.SetBy, hold?.Reason, At = Col.Ms(hold?.At), environmentId }, cancellationToken));
                await AuditAsync(scope, promotion.PipelineId, promotion.Environment, promotion.RequestedBy,
                    hold is null ? AuditActions.HoldLifted : AuditActions.Hold, id, promotion.ReleaseNumber,
                    hold?.Reason ?? $"lifted by promoting {release.Name}", cancellationToken);
            }
            return (await LoadPromotionsAsync(c, scope.Transaction, "p.id = @id", new { id }, cancellationToken))[0];
        }, cancellationToken);

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

    public Task<PromotionRecord> MovePromotionAsync(long id, PromotionStatus to, string? reason = null, long? buildId = null, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var c = scope.Connection;
            var record = await LockPromotionAsync(scope, id, "moving", cancellationToken);
            var promotion = record.ToEntity();
            promotion.MoveTo(to);
            if (to == PromotionStatus.Deploying)
            {
                // Lock the environment so two promotions into it cannot both pass this check at once (PostgreSQL, read committed).
                await c.ExecuteScalarAsync<long?>(Cmd(scope, $"SELECT id FROM environments WHERE id = @EnvironmentId{_dialect.ForUpdate}",
                    new { EnvironmentId = (long)record.EnvironmentId }, cancellationToken));
                var busy = await c.QueryFirstOrDefaultAsync<BusyRow>(Cmd(scope,
                    "SELECT id, status FROM promotions WHERE environment_id = @EnvironmentId AND id <> @id AND status IN ('deploying', 'verifying') LIMIT 1",
                    new { EnvironmentId = (long)record.EnvironmentId, id }, cancellationToken));
                if (busy is not null)
                {
                    throw new PromotionStateException(
                        $"{promotion}: cannot go from {record.Status.ToText()} to deploying while promotion {busy.Id} is {busy.Status} in {record.Environment}");
                }
            }
            var now = Now;
            await c.ExecuteAsync(Cmd(scope,
                "UPDATE promotions SET status = @status, reason = COALESCE(@reason, reason), build_id = COALESCE(@buildId, build_id), updated_at = @now, " +
                "ended_at = @endedAt WHERE id = @id",
                new { status = to.ToText(), reason, buildId, now, endedAt = promotion.IsFinished ? now : (long?)null, id }, cancellationToken));
            if (to == PromotionStatus.Succeeded)
            {
                await c.ExecuteAsync(Cmd(scope,
                    "INSERT INTO release_verifications (release_id, environment_id, promotion_id, verified_at) VALUES (@ReleaseId, @EnvironmentId, @id, @now) " +
                    "ON CONFLICT (release_id, environment_id) DO NOTHING",
                    new { record.ReleaseId, EnvironmentId = (long)record.EnvironmentId, id, now }, cancellationToken));
                await c.ExecuteAsync(Cmd(scope,
                    "UPDATE environments SET current_release_id = @ReleaseId, current_since = @now, current_by = @RequestedBy WHERE id = @EnvironmentId",
                    new { record.ReleaseId, now, record.RequestedBy, EnvironmentId = (long)record.EnvironmentId }, cancellationToken));
            }
            if (promotion.IsFinished)
            {
                await AuditAsync(scope, record.PipelineId, record.Environment, "ferry", AuditActions.PromotionFinished, id, record.ReleaseNumber,
                    reason is null ? to.ToText() : $"{to.ToText()}: {reason}", cancellationToken);
            }
            return (await LoadPromotionsAsync(c, scope.Transaction, "p.id = @id", new { id }, cancellationToken))[0];
        }, cancellationToken);

    public Task<PromotionRecord> DecideApprovalAsync(long promotionId, ApprovalRule rule, Actor approver, bool approve, string? comment = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var record = await LockPromotionAsync(scope, promotionId, approve ? "approving" : "rejecting", cancellationToken);
            var promotion = record.ToEntity();
            var at = _clock.GetUtcNow();
            if (approve)
            {
                promotion.Approve(rule, approver, at, comment);
            }
            else
            {
                promotion.Reject(rule, approver, at, comment);
            }
            await scope.Connection.ExecuteAsync(Cmd(scope,
                "INSERT INTO approvals (promotion_id, approver, approved, comment, created_at) VALUES (@promotionId, @Name, @approve, @comment, @at)",
                new { promotionId, approver.Name, approve, comment, at = at.ToUnixTimeMilliseconds() }, cancellationToken));
            if (promotion.Status != record.Status)
            {
                await scope.Connection.ExecuteAsync(Cmd(scope,
                    "UPDATE promotions SET status = @status, updated_at = @now, ended_at = @endedAt WHERE id = @promotionId",
                    new { status = promotion.Status.ToText(), now = Now, endedAt = promotion.IsFinished ? Now : (long?)null, promotionId }, cancellationToken));
            }
            await AuditAsync(scope, record.PipelineId, record.Environment, approver.Name, approve ? AuditActions.Approval : AuditActions.Rejection,
                promotionId, record.ReleaseNumber, comment, cancellationToken);
            return (await LoadPromotionsAsync(scope.Connection, scope.Transaction, "p.id = @promotionId", new { promotionId }, cancellationToken))[0];
        }, cancellationToken);

    private sealed class BusyRow
    {
        public long Id { get; set; }
        public string Status { get; set; } = "";
    }

    private async Task<PromotionRecord> LockPromotionAsync(WriteScope scope, long id, string doing, CancellationToken cancellationToken)
    {
        _ = await scope.Connection.ExecuteScalarAsync<long?>(Cmd(scope, $"SELECT id FROM promotions WHERE id = @id{_dialect.ForUpdate}", new { id }, cancellationToken))
            ?? throw new StoreException($"{doing} promotion {id}: no such promotion");
        return (await LoadPromotionsAsync(scope.Connection, scope.Transaction, "p.id = @id", new { id }, cancellationToken))[0];
    }

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
