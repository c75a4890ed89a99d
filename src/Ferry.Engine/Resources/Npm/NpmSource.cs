using System.Text.Json.Nodes;
using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// The <c>npm</c> type's <c>source</c>. A check reports every version (in publish order), or with <c>tag</c> each version
/// that dist-tag pointed at when checked, or with <c>range</c> the versions in a semver range; pre-releases only with
/// <c>prereleases: true</c> (a tag follows whatever it points at, pre-release or not).
/// </summary>
internal sealed record NpmSource(NpmPackageName Package, Uri Registry, string? Token, string? Tag, SemverConstraint? Range, bool Prereleases)
{
    public const string DefaultRegistry = "https://registry.npmjs.org/";

    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("package", FieldKind.String, Required: true),
        new ConfigField("registry", FieldKind.String),
        new ConfigField("token", FieldKind.String),
        new ConfigField("tag", FieldKind.String),
        new ConfigField("range", FieldKind.String),
        new ConfigField("prereleases", FieldKind.Boolean),
    ]);

    public static NpmSource Parse(JsonObject source)
    {
        Schema.Enforce(source, "source");
        var read = new ConfigReader(source, "source");
        var package = NpmPackageName.Parse(read.RequiredString("package"), "source.package");
        var registryText = read.String("registry") is { Length: > 0 } r ? r : DefaultRegistry;
        if (!Uri.TryCreate(registryText.EndsWith('/') ? registryText : registryText + "/", UriKind.Absolute, out var registry) ||
            registry.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(registry.Query))
            throw new ResourceConfigException($"source.registry: '{registryText}' is not an http(s) URL");
        var tag = read.String("tag") is { Length: > 0 } t ? t : null;
        var range = read.String("range") is { Length: > 0 } text ? ParseRange(text) : null;
        if (tag is not null && range is not null)
            throw new ResourceConfigException("source.range: cannot be combined with source.tag (a tag follows the one version it points at)");
        return new NpmSource(package, registry, read.String("token") is { Length: > 0 } token ? token : null, tag, range, read.Boolean("prereleases"));
    }

    /// <summary>Where the source names the package, for messages: <c>@acme/app on http://127.0.0.1:4873/</c>.</summary>
    public string Display => $"{Package} on {Registry}";

    private static SemverConstraint ParseRange(string text)
    {
        try
        {
            return SemverConstraint.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ResourceConfigException($"source.range: {e.Message}");
        }
    }
}
