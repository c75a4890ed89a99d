using System.Text.RegularExpressions;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Git;

/// <summary>
/// Branch-listing mode (<c>source.branches: "pr/*"</c>), for per-pull-request environments.
/// A version is the whole set of matching branches with each one's head commit:
/// <code>{"branches": "pr/1 pr/7", "ref:pr/1": "3f2a…", "ref:pr/7": "9bc0…"}</code>
/// <c>branches</c> lists the names sorted and separated by a space (git forbids spaces in branch names; an empty
/// string is the empty set); <c>ref:NAME</c> is that branch's head. A new version appears when a branch appears,
/// disappears or moves, so the latest version says which branches exist now and <see cref="Diff"/> of two
/// consecutive versions says which appeared, disappeared or got new commits. A get with
/// <c>params.branch: NAME</c> checks out that branch's head as recorded in the version.
/// A set that returns to an exact earlier state (same branches, same heads) is the same version as before.
/// </summary>
public static class GitBranchSet
{
    public const string BranchesField = "branches";
    public const string RefPrefix = "ref:";

    /// <summary>The field naming the branch in a branch head version.</summary>
    public const string BranchField = Core.Promotion.Release.BranchField;

    /// <summary>
    /// One branch's head as a version of its own, <c>{"ref": "3f2a…", "branch": "pr/7"}</c>: what a per-pull-request
    /// environment's release carries, and what a get of a branch-listing resource checks out like a commit.
    /// </summary>
    public static IReadOnlyDictionary<string, string> BranchHead(string branch, string sha) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { ["ref"] = sha, [BranchField] = branch };

    public static bool IsBranchHead(ResourceVersion version) =>
        !version.Version.ContainsKey(BranchesField) && version.Version.ContainsKey("ref") && version.Version.ContainsKey(BranchField);

    /// <summary>The part of <paramref name="branch"/> the pattern's first <c>*</c> matched (<c>pr/*</c>, <c>pr/42</c>: <c>42</c>); the whole name otherwise.</summary>
    public static string ShortName(string pattern, string branch)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        var prefix = star < 0 ? "" : pattern[..star];
        return prefix.Length > 0 && branch.StartsWith(prefix, StringComparison.Ordinal) && branch.Length > prefix.Length ? branch[prefix.Length..] : branch;
    }

    /// <summary>Branch name to head commit, from a branch-listing version.</summary>
    public static IReadOnlyDictionary<string, string> Heads(ResourceVersion version)
    {
        if (!version.Version.TryGetValue(BranchesField, out var names))
            throw new ArgumentException($"version {version.Key} is not a branch-listing version (no '{BranchesField}' field)", nameof(version));
        return names.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(n => n, n => version.Version.GetValueOrDefault(RefPrefix + n) ?? "", StringComparer.Ordinal);
    }

    /// <summary>What changed between two branch-listing versions (<paramref name="previous"/> null: everything appeared).</summary>
    public static BranchChanges Diff(ResourceVersion? previous, ResourceVersion current)
    {
        var before = previous is null ? new Dictionary<string, string>() : Heads(previous);
        var now = Heads(current);
        return new BranchChanges(
            now.Keys.Where(b => !before.ContainsKey(b)).Order(StringComparer.Ordinal).ToList(),
            before.Keys.Where(b => !now.ContainsKey(b)).Order(StringComparer.Ordinal).ToList(),
            now.Where(p => before.TryGetValue(p.Key, out var old) && old != p.Value).Select(p => p.Key).Order(StringComparer.Ordinal).ToList());
    }

    internal static ResourceVersion Version(IReadOnlyDictionary<string, string> heads, IReadOnlyList<MetadataField> metadata)
    {
        var names = heads.Keys.Order(StringComparer.Ordinal).ToList();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { [BranchesField] = string.Join(' ', names) };
        foreach (var name in names)
            fields[RefPrefix + name] = heads[name];
        return new ResourceVersion(fields, metadata);
    }

    /// <summary>Glob of <c>source.branches</c>: <c>*</c> matches any run of characters (slashes too), <c>?</c> one.</summary>
    internal static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}

/// <summary>Branches that appeared, disappeared, or whose head moved, each sorted by name.</summary>
public sealed record BranchChanges(IReadOnlyList<string> Appeared, IReadOnlyList<string> Disappeared, IReadOnlyList<string> Moved);
