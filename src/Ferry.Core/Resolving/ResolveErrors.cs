namespace Ferry.Core.Resolving;

/// <summary>The error texts of a failed input (DESIGN.md "Resolver semantics"; Concourse's wording).</summary>
public static class ResolveErrors
{
    public const string LatestVersionNotFound = "latest version of resource not found";
    public const string VersionNotFound = "version of resource not found";
    public const string NoSatisfiableBuilds = "no satisfiable builds from passed jobs found for set of inputs";

    public static string PinnedVersionNotFound(string pinText) => $"pinned version {pinText} not found";
}
