namespace Ferry.Core.Promotion;

/// <summary>A variable key the target environment is expected to have; <c>required</c> keys may not be empty.</summary>
public sealed record VariableKey(string Key, bool Required = false);

/// <summary>One resource whose version a promotion changes; <c>From</c> null: new in the environment; <c>To</c> null: no longer carried.</summary>
public sealed record VersionChange(string Resource, IReadOnlyDictionary<string, string>? From, IReadOnlyDictionary<string, string>? To);

/// <summary>What a promotion will change, shown before it runs (<c>ferry promote --dry-run</c>, the API, the UI).</summary>
/// <param name="KeysWithoutValue">Keys the release brings that the target has no value for, sorted.</param>
/// <param name="Refusal">Set when a required key would stay empty: the promotion is refused with the key's name.</param>
public sealed record PromotionPreview(
    string Environment,
    string Release,
    string? CurrentRelease,
    IReadOnlyList<VersionChange> Changes,
    IReadOnlyList<string> KeysWithoutValue,
    Refusal? Refusal)
{
    /// <summary>Required keys that would have no value in the target: the promotion is refused with their names.</summary>
    public IReadOnlyList<string> RequiredEmpty { get; init; } = [];

    /// <summary>Node modules the release's flows use that the target instance lacks: its put would be refused.</summary>
    public IReadOnlyList<MissingModule> MissingModules { get; init; } = [];

    public static PromotionPreview Build(string environment, string releaseName, Release target, string? currentName, Release? current,
        IEnumerable<VariableKey> keys, IReadOnlySet<string> keysWithValue)
    {
        var changes = new List<VersionChange>();
        foreach (var item in target.Items)
        {
            var before = current?.Find(item.Resource);
            if (before is null || before.VersionKey != item.VersionKey)
            {
                changes.Add(new VersionChange(item.Resource, before?.Version, item.Version));
            }
        }
        foreach (var gone in current?.Items.Where(i => target.Find(i.Resource) is null) ?? [])
        {
            changes.Add(new VersionChange(gone.Resource, gone.Version, null));
        }
        var missing = keys.Where(k => !keysWithValue.Contains(k.Key)).DistinctBy(k => k.Key).OrderBy(k => k.Key, StringComparer.Ordinal).ToList();
        var requiredEmpty = missing.Where(k => k.Required).Select(k => k.Key).ToList();
        return new PromotionPreview(environment, releaseName, currentName,
            [.. changes.OrderBy(c => c.Resource, StringComparer.Ordinal)],
            [.. missing.Select(k => k.Key)],
            requiredEmpty.Count > 0 ? Refusal.RequiredEmpty(environment, releaseName, requiredEmpty) : null) { RequiredEmpty = requiredEmpty };
    }
}
