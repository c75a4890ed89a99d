using System.Text.RegularExpressions;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// A package name as the registry knows it, plain (<c>express</c>) or scoped (<c>@flowfuse/app</c>). A scoped name is
/// one path segment in the registry's URLs, with its slash encoded (<c>@flowfuse%2fapp</c>), as the npm CLI sends it.
/// </summary>
internal sealed partial record NpmPackageName(string Value)
{
    // npm's rules (validate-npm-package-name) minus the length limit; old packages may have capitals, so allow them.
    [GeneratedRegex(@"^(?:@[A-Za-z0-9\-~][A-Za-z0-9\-._~]*/)?[A-Za-z0-9\-~][A-Za-z0-9\-._~]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static NpmPackageName Parse(string text, string path) =>
        Pattern().IsMatch(text)
            ? new NpmPackageName(text)
            : throw new ResourceConfigException($"{path}: '{text}' is not an npm package name (name or @scope/name: letters, digits, - . _ ~)");

    /// <summary>The name as one URL path segment.</summary>
    public string Encoded => Value.Replace("/", "%2f", StringComparison.Ordinal);

    /// <summary>The name without its scope: a tarball is <c>{registry}/@scope/name/-/name-1.0.0.tgz</c>.</summary>
    public string Bare => Value[(Value.IndexOf('/', StringComparison.Ordinal) + 1)..];

    public override string ToString() => Value;
}
