using System.Data.Common;
using Dapper;
using Ferry.Core.Audit;
using Ferry.Core.Promotion;
using Ferry.Storage.Environments;
using Environment = Ferry.Core.Promotion.Environment;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private const int ChangeAttempts = 5;

    public Task<Environment> LoadEnvironmentAsync(EnvironmentLoad load, CancellationToken cancellationToken = default) =>
        ReadAsync(c => LoadAggregateAsync(c, null, load, cancellationToken), cancellationToken);

    public async Task<T> ChangeEnvironmentAsync<T>(EnvironmentLoad load, Func<Environment, T> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var changed = await WriteAsync(async scope =>
                {
                    var environment = await LoadAggregateAsync(scope.Connection, scope.Transaction, load, cancellationToken);
                    var result = change(environment);
                    await SaveAggregateAsync(scope, environment, cancellationToken);
                    return result;
                }, cancellationToken);
                await ChangedEnvironmentAsync(load.EnvironmentId, cancellationToken);
                return changed;
            }
            catch (EnvironmentVersionConflict) when (attempt < ChangeAttempts)
            {
                // Another save came first: decide again on what it left.
            }
        }
    }

    private async Task<Environment> LoadAggregateAsync(DbConnection c, DbTransaction? transaction, EnvironmentLoad load, CancellationToken cancellationToken)
    {
        var row = await c.QuerySingleOrDefaultAsync<EnvironmentRow>(Cmd($"{EnvironmentRow.Select} WHERE e.id = @Id",
            new { Id = (long)load.EnvironmentId }, cancellationToken, transaction))
            ?? throw new StoreException($"loading environment {load.EnvironmentId}: no such environment");
        var record = row.ToRecord();
        var asked = load.Promotions is { Count: > 0 } ids ? $" OR p.id IN ({string.Join(",", ids)})" : "";
        var promotions = await LoadPromotionsAsync(c, transaction, $"p.environment_id = @Id AND (p.status IN {EnvironmentRow.OpenStatuses}{asked}) ORDER BY p.id",
            new { Id = (long)load.EnvironmentId }, cancellationToken);
        var numbers = new HashSet<int>(load.Releases ?? []);
        if (record.CurrentRelease is { } current)
        {
            numbers.Add(current);
        }
        var releases = new List<ReleaseStanding>();
        foreach (var number in numbers)
        {
            var release = (await LoadReleasesAsync(c, transaction, record.PipelineId, number, 1, cancellationToken)).FirstOrDefault()
                ?? throw new StoreException($"loading environment {record.Name}: pipeline {record.PipelineId} has no release {ReleaseName.Of(number)}");
            releases.Add(release.ToStanding());
        }
        var graph = new EnvironmentGraph((await ListEnvironmentsAsync(c, transaction, record.PipelineId, cancellationToken)).Select(e => e.ToNode()));
        var snapshot = new EnvironmentSnapshot(record.Id, record.Name, row.Version, record.CurrentRelease, record.Hold,
            [.. promotions.Select(p => p.ToEntity())]);
        return new Environment(snapshot, load.Policy, graph, releases);
    }

    /// <summary>Writes what the aggregate changed, nothing more: it made every decision.</summary>
    private async Task SaveAggregateAsync(WriteScope scope, Environment environment, CancellationToken cancellationToken)
    {
        var c = scope.Connection;
        var now = Now;
        var bumped = await c.ExecuteAsync(Cmd(scope, "UPDATE environments SET version = version + 1 WHERE id = @Id AND version = @Version",
            new { Id = (long)environment.Id, environment.Version }, cancellationToken));
        if (bumped == 0)
        {
            throw new EnvironmentVersionConflict();
        }
        var pipelineId = await c.ExecuteScalarAsync<long>(Cmd(scope, "SELECT pipeline_id FROM environments WHERE id = @Id",
            new { Id = (long)environment.Id }, cancellationToken));
        if (environment.HoldChanged)
        {
            var hold = environment.Hold;
            await c.ExecuteAsync(Cmd(scope, "UPDATE environments SET hold_by = @By, hold_reason = @Reason, hold_at = @At WHERE id = @Id",
                new { By = hold?.SetBy, hold?.Reason, At = Col.Ms(hold?.At), Id = (long)environment.Id }, cancellationToken));
        }
        foreach (var promotion in environment.Added)
        {
            var id = await c.ExecuteScalarAsync<long>(Cmd(scope,
                "INSERT INTO promotions (pipeline_id, environment_id, release_id, trigger_kind, status, requested_by, created_at, updated_at, forced) " +
                "VALUES (@pipelineId, @EnvironmentId, (SELECT id FROM releases WHERE pipeline_id = @pipelineId AND number = @Number), @Trigger, @Status, " +
                "@RequestedBy, @now, @now, @Forced) RETURNING id",
                new { pipelineId, EnvironmentId = (long)environment.Id, Number = (long)promotion.ReleaseNumber, Trigger = promotion.Trigger.ToText(),
                    Status = promotion.Status.ToText(), promotion.RequestedBy, now, promotion.Forced }, cancellationToken));
            promotion.AssignId(id);
        }
        foreach (var promotion in environment.Added.Concat(environment.Changed))
        {
            await c.ExecuteAsync(Cmd(scope,
                "UPDATE promotions SET status = @Status, reason = @Reason, build_id = @BuildId, updated_at = @now, ended_at = @endedAt WHERE id = @Id",
                new { Status = promotion.Status.ToText(), promotion.Reason, promotion.BuildId, now, endedAt = promotion.IsFinished ? now : (long?)null,
                    promotion.Id }, cancellationToken));
            foreach (var vote in promotion.NewVotes)
            {
                await c.ExecuteAsync(Cmd(scope,
                    "INSERT INTO approvals (promotion_id, approver, approved, comment, created_at) VALUES (@Id, @Approver, @Approved, @Comment, @At)",
                    new { promotion.Id, vote.Approver, vote.Approved, vote.Comment, At = vote.At.ToUnixTimeMilliseconds() }, cancellationToken));
            }
        }
        foreach (var verified in environment.Verified)
        {
            await c.ExecuteAsync(Cmd(scope,
                "INSERT INTO release_verifications (release_id, environment_id, promotion_id, verified_at) " +
                "VALUES ((SELECT id FROM releases WHERE pipeline_id = @pipelineId AND number = @Number), @EnvironmentId, @PromotionId, @At) " +
                "ON CONFLICT (release_id, environment_id) DO NOTHING",
                new { pipelineId, Number = (long)verified.ReleaseNumber, EnvironmentId = (long)environment.Id, PromotionId = verified.Promotion.Id,
                    At = verified.At.ToUnixTimeMilliseconds() }, cancellationToken));
        }
        if (environment.NewCurrent is { } current)
        {
            await c.ExecuteAsync(Cmd(scope,
                "UPDATE environments SET current_release_id = (SELECT id FROM releases WHERE pipeline_id = @pipelineId AND number = @Number), " +
                "current_since = @Since, current_by = @By WHERE id = @Id",
                new { pipelineId, Number = (long)current.Number, Since = current.Since.ToUnixTimeMilliseconds(), current.By, Id = (long)environment.Id },
                cancellationToken));
        }
        foreach (var entry in environment.Audit)
        {
            await AuditAsync(scope, (int)pipelineId, environment.Name, entry.Actor, entry.Action, entry.Promotion?.Id, entry.ReleaseNumber, entry.Detail,
                cancellationToken);
        }
    }

    /// <summary>The environment's version moved on between load and save.</summary>
    private sealed class EnvironmentVersionConflict() : Exception("the environment was changed meanwhile");
}
