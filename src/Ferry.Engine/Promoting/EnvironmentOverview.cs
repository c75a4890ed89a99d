using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Engine.Pipelines;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>
/// Many pipelines' environments at a glance (the dashboard): each environment's current release, last promotion's status,
/// hold and the promotions awaiting approval there. Read in a fixed number of store reads whatever the number of
/// pipelines (the environments of all in one, the promotions awaiting approval in one); the approval rules come from the
/// cached configs. It reads what the promoter last synced: unlike <see cref="Promotions.ListEnvironmentsAsync"/> it writes nothing.
/// </summary>
public sealed class EnvironmentOverview(IStore store, PipelineConfigs configs)
{
    private const int AwaitingWindow = 1000;

    /// <summary>Each pipeline's environments, upstream first; a pipeline without environments is absent.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<EnvironmentSummary>>> ListAsync(IReadOnlyList<PipelineRecord> pipelines,
        CancellationToken cancellationToken)
    {
        var environments = await store.ListEnvironmentsAsync([.. pipelines.Select(p => p.Id)], cancellationToken);
        var awaiting = environments.Values.SelectMany(e => e).Any(e => e.LastPromotionStatus == PromotionStatus.AwaitingApproval)
            ? (await store.ListPromotionsInStatusAsync([PromotionStatus.AwaitingApproval], AwaitingWindow, cancellationToken)).ToLookup(p => p.EnvironmentId)
            : Enumerable.Empty<PromotionRecord>().ToLookup(p => p.EnvironmentId);
        var result = new Dictionary<int, IReadOnlyList<EnvironmentSummary>>();
        foreach (var pipeline in pipelines)
        {
            if (!environments.TryGetValue(pipeline.Id, out var records))
                continue;
            var config = await ConfigAsync(pipeline, cancellationToken);
            result[pipeline.Id] = [.. records.Select(r => Summary(r, config, awaiting[r.Id]))];
        }
        return result;
    }

    private static EnvironmentSummary Summary(EnvironmentRecord record, PipelineConfig? config, IEnumerable<PromotionRecord> awaiting)
    {
        var declared = config is null ? null : config.FindEnvironment(record.Name) ?? PullRequestEnvironments.DeclarationOf(config, record.Name);
        var rule = declared is null ? null : PipelineEnvironments.Policy(declared).Approval;
        return new EnvironmentSummary(
            record.Name,
            record.CurrentRelease is { } n ? ReleaseName.Of(n) : null,
            record.CurrentSince,
            record.CurrentBy,
            record.LastPromotionStatus?.ToText(),
            HoldView.Of(record.Hold),
            declared?.ForEach is not null && declared.Name == record.Name,
            [.. awaiting.OrderBy(p => p.Id).Select(p => new AwaitingApproval(p.Id, p.Release, p.RequestedBy,
                p.Votes.Where(v => v.Approved).Select(v => v.Approver).Distinct(StringComparer.Ordinal).Count(),
                rule?.Required ?? 1, rule?.From ?? [], Promotions.WhatItWaitsFor(p, rule)))]);
    }

    private async Task<PipelineConfig?> ConfigAsync(PipelineRecord pipeline, CancellationToken cancellationToken)
    {
        try
        {
            return await configs.CurrentAsync(pipeline, cancellationToken);
        }
        catch (StoredConfigException)
        {
            // A stored config that no longer loads names no approvers; the pipeline's page says why it does not load.
            return null;
        }
    }
}

/// <param name="Release">The current release (<c>r7</c>): the last one verified there; null when none is.</param>
/// <param name="Since">When the environment got its current release.</param>
/// <param name="Status">The last promotion's status (<c>succeeded</c>, <c>failed</c>, <c>running</c>, <c>awaiting_approval</c> …); null before the first.</param>
/// <param name="Template">A <c>for_each</c> declaration: releases go into its per-branch environments, not into it.</param>
public sealed record EnvironmentSummary(string Name, string? Release, DateTimeOffset? Since, string? By, string? Status, HoldView? Hold, bool Template,
    IReadOnlyList<AwaitingApproval> Awaiting);

/// <param name="Approved">How many have approved so far, of <paramref name="Required"/>.</param>
/// <param name="From">Who may approve: users or teams (empty: anyone who may approve in the pipeline).</param>
/// <param name="Waits">What it waits for, in the words of <c>ferry explain</c>.</param>
public sealed record AwaitingApproval(long PromotionId, string Release, string RequestedBy, int Approved, int Required, IReadOnlyList<string> From, string Waits);
