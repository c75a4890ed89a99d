using Ferry.Core.Promotion;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>
/// The automatic promotion an environment gets now: the policy's decision over the releases that fit it, then the
/// preview's own refusal (a required key left empty). The promoter acts on it; <c>explain</c> says it.
/// </summary>
internal static class AutoPromotion
{
    /// <param name="newestFirst">The pipeline's releases, newest first.</param>
    /// <returns>The release to promote (null when none) and, either way, why.</returns>
    public static async Task<(ReleaseRecord? Target, string Why)> DecideAsync(PromotionPreviews previews, PipelineScope scope, EnvironmentSettings settings,
        EnvironmentRecord record, IReadOnlyList<ReleaseRecord> newestFirst, CancellationToken cancellationToken)
    {
        var fitting = newestFirst.Where(r => settings.Fits(r.Content)).ToList();
        var decision = PromotionPolicy.NextAuto(scope.Graph, settings.Policy, record.ToState(), fitting.Select(r => r.ToStanding()));
        if (decision.Promote is not { } candidate)
            return (null, decision.Why ?? "");
        var target = fitting.First(r => r.Number == candidate.Number);
        var requiredEmpty = await previews.RequiredEmptyAsync(scope, settings, record, target, cancellationToken);
        // Automatic promotion never overwrites hand edits: the aggregate refuses it over drift, and says so.
        var (_, drift) = await previews.Drifts.CurrentAsync(settings, record, cancellationToken);
        if (drift is not null && await previews.RefusalAsync(settings, record, target, requiredEmpty, drift, cancellationToken) is { } drifted)
            return (null, drifted.Message);
        return requiredEmpty.Count > 0
            ? (null, Refusal.RequiredEmpty(record.Name, target.Name, requiredEmpty).Message)
            : (target, $"{target.Name} is eligible for {record.Name} and is being promoted automatically.");
    }
}
