using Ferry.Core.Promotion;
using Ferry.Engine.Instances;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Resources;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>The preview and the refusal it ends in, if any (not eligible, or a required key left empty).</summary>
/// <param name="RequiredEmpty">Required keys the target has no value for.</param>
/// <param name="Drift">How the environment's instance differs from what Ferry deployed there, read now (the promotion decision needs it).</param>
internal sealed record PreviewResult(PreviewView View, Refusal? Refusal, IReadOnlyList<string> RequiredEmpty, InstanceDrift? Drift = null);

/// <summary>
/// Shows before a promotion what it will change: the versions against the environment's current release, the
/// commits between them for resources whose type keeps history (git), the keys the target has no value for, and for
/// an environment bound to a Node-RED instance the flow changes there by tab (<see cref="InstanceFlows"/>).
/// </summary>
public sealed class PromotionPreviews(IStore store, ResourceTypeRegistry types, EngineDirectories directories)
{
    private const int CommitLimit = 50;

    /// <summary>Reads the instance an environment deploys into, for drift (on demand, when a preview or a promotion asks).</summary>
    internal InstanceDrifts Drifts { get; } = new(store, directories);

    internal async Task<PreviewResult> PreviewAsync(PipelineScope scope, EnvironmentSettings settings, EnvironmentRecord record, ReleaseRecord target,
        Refusal? refusal, CancellationToken cancellationToken)
    {
        var current = record.CurrentRelease is { } number ? await store.GetReleaseAsync(scope.Pipeline.Id, number, cancellationToken) : null;
        // The instance the environment is bound to, if any: its flows are read once for the keys and the flow diff.
        var bound = await InstanceRelease.OfAsync(scope.Config, settings.Config, target.Content, directories.ResourceCache, cancellationToken);
        var (keys, withValue) = await KeysAsync(scope, settings, record, bound, cancellationToken);
        var preview = PromotionPreview.Build(record.Name, target.Name, target.Content, current?.Name, current?.Content, keys, withValue) with
        {
            MissingModules = await InstanceModules.ReadAsync(bound, cancellationToken),
        };
        var changes = new List<ChangeView>();
        foreach (var change in preview.Changes)
            changes.Add(new ChangeView(change.Resource, change.From, change.To, await CommitsAsync(scope, change, cancellationToken))
            {
                Metadata = await MetadataAsync(target, change, cancellationToken),
            });
        // The drift is judged on the flows the keys and the diff were read from (read here when they were not).
        var read = bound is null ? null : await bound.TargetFlowsAsync(cancellationToken);
        var (driftRecord, drift) = await Drifts.CurrentAsync(settings, record, read, cancellationToken);
        var final = refusal ?? preview.Refusal;
        var flows = await InstanceFlows.DiffAsync(bound, cancellationToken);
        var view = new PreviewView(record.Name, target.Name, current?.Name, changes, preview.KeysWithoutValue, RefusalView.Of(final))
        {
            MissingModules = preview.MissingModules,
            Drift = driftRecord is null ? null : await DriftView.OfAsync(driftRecord, Drifts, cancellationToken),
            Flows = flows,
        };
        return new PreviewResult(view, final, preview.RequiredEmpty, drift);
    }

    /// <summary>What the environment aggregate says of an automatic promotion of <paramref name="target"/> onto a drifted instance.</summary>
    internal async Task<Refusal?> RefusalAsync(EnvironmentSettings settings, EnvironmentRecord record, ReleaseRecord target,
        IReadOnlyList<string> requiredEmpty, InstanceDrift drift, CancellationToken cancellationToken) =>
        (await store.LoadEnvironmentAsync(EnvironmentLoads.Of(settings, record, target.Number), cancellationToken))
        .CheckPromote(target.Number, PromotionTrigger.Auto, Actor.System, requiredEmpty, drift);

    /// <summary>
    /// The required keys that would stay empty in the target: all a promotion itself needs of the preview. Without a
    /// required key there are none, and nothing is read (no instance's flows, no commits), so a push costs no more.
    /// </summary>
    internal async Task<IReadOnlyList<string>> RequiredEmptyAsync(PipelineScope scope, EnvironmentSettings settings, EnvironmentRecord record,
        ReleaseRecord target, CancellationToken cancellationToken)
    {
        if (!settings.Keys.Any(k => k.Required))
            return [];
        var bound = await InstanceRelease.OfAsync(scope.Config, settings.Config, target.Content, directories.ResourceCache, cancellationToken);
        var (keys, withValue) = await KeysAsync(scope, settings, record, bound, cancellationToken);
        return PromotionPreview.Build(record.Name, target.Name, target.Content, null, null, keys, withValue).RequiredEmpty;
    }

    /// <summary>
    /// Keys travel with a release, values never do: the target is expected to have a value for every key it declares
    /// and every key an environment upstream of it has; an environment bound to an instance also gets the keys the
    /// release's flows bring, valued as the instance would value them.
    /// </summary>
    /// <param name="bound">The instance the environment deploys into, with the release's flows; null without one.</param>
    private async Task<(List<VariableKey> Keys, HashSet<string> WithValue)> KeysAsync(PipelineScope scope, EnvironmentSettings settings,
        EnvironmentRecord record, InstanceRelease? bound, CancellationToken cancellationToken)
    {
        var keys = new List<VariableKey>(settings.Keys);
        var withValue = new HashSet<string>(settings.FileValues.Keys, StringComparer.Ordinal);
        foreach (var variable in await store.ListVariablesAsync(record.Id, cancellationToken))
        {
            keys.Add(new VariableKey(variable.Name));
            if (variable.HasValue)
                withValue.Add(variable.Name);
        }
        foreach (var upstream in scope.UpstreamOf(record.Name))
        {
            var (upstreamSettings, upstreamRecord) = scope.Environment(upstream);
            keys.AddRange(upstreamSettings.Keys.Select(k => k with { Required = false }));
            keys.AddRange((await store.ListVariablesAsync(upstreamRecord.Id, cancellationToken)).Select(v => new VariableKey(v.Name)));
        }
        var (instanceKeys, instanceValued) = await InstanceKeys.ReadAsync(bound, cancellationToken);
        keys.AddRange(instanceKeys.Select(k => new VariableKey(k)));
        withValue.UnionWith(instanceValued);
        // A key required here stays required whoever else declares it.
        var required = settings.Keys.Where(k => k.Required).Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        return ([.. keys.Select(k => k with { Required = required.Contains(k.Key) })], withValue);
    }

    /// <summary>The metadata of the version the release brings, as its check, get or put recorded it.</summary>
    private async Task<IReadOnlyList<Core.Versions.MetadataField>> MetadataAsync(ReleaseRecord target, VersionChange change, CancellationToken cancellationToken) =>
        change.To is not null && target.Versions.FirstOrDefault(v => v.Resource == change.Resource) is { } carried
            && await store.GetVersionAsync(carried.VersionId, cancellationToken) is { } version
            ? version.Version.Metadata
            : [];

    private async Task<IReadOnlyList<CommitView>> CommitsAsync(PipelineScope scope, VersionChange change, CancellationToken cancellationToken)
    {
        if (change.To is null || scope.Config.FindResource(change.Resource) is not { } resource)
            return [];
        try
        {
            var registered = types.Resolve(resource.Type, ResourceTypeDeclarations.Of(scope.Config));
            if (registered.Type is not ICommitHistory history)
                return [];
            var call = new ResourceCall(TextWriter.Null, new Dictionary<string, string>(), directories.ResourceCache);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            var commits = await history.CommitsBetweenAsync(call, registered.SourceWithDefaults(resource.Source),
                change.From is null ? null : new Core.Versions.ResourceVersion(change.From, []),
                new Core.Versions.ResourceVersion(change.To, []), change.From is null ? 1 : CommitLimit, timeout.Token);
            return [.. commits.Select(c => new CommitView(c.Sha, c.Subject, c.Author))];
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The preview still shows the versions; commits are a help, not a condition.
            return [];
        }
    }
}
