namespace Ferry.Core.Resolving;

/// <summary>How an input picks among the versions that qualify.</summary>
public enum VersionMode
{
    /// <summary>The newest qualifying version (highest check order).</summary>
    Latest,
    /// <summary>Every version in turn, resuming after the newest one the job already used.</summary>
    Every,
    /// <summary>Exactly the version in <see cref="InputConfig.Pin"/>.</summary>
    Pinned,
}

/// <summary>
/// A pinned version: <paramref name="Text"/> is how the pin reads in errors (<c>ver:1.2.3</c>, <c>ref:3f2a</c>);
/// <paramref name="VersionId"/> is the stored version it names, or null when no stored version matches.
/// </summary>
public sealed record VersionPin(string Text, long? VersionId);

/// <summary>One input of the job being resolved (a <c>get</c> step after config interpolation).</summary>
/// <param name="Name">The input name (the get step's name).</param>
/// <param name="Resource">The resource it reads.</param>
/// <param name="Passed">Jobs a version must have passed (empty for none).</param>
/// <param name="Mode">Latest, every or pinned.</param>
/// <param name="Pin">The pin when <paramref name="Mode"/> is <see cref="VersionMode.Pinned"/> (config <c>version:</c> or <c>ferry pin</c>).</param>
/// <param name="Trigger">Whether a new version of this input starts a build (<c>trigger: true</c>).</param>
public sealed record InputConfig(
    string Name,
    string Resource,
    IReadOnlyList<string> Passed,
    VersionMode Mode = VersionMode.Latest,
    VersionPin? Pin = null,
    bool Trigger = false)
{
    internal bool HasPassed => Passed.Count > 0;
    internal bool IsPinned => Mode == VersionMode.Pinned || Pin is not null;
}
