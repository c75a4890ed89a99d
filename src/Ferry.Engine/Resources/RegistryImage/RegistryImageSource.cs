using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>Username and password for a registry: sent as Basic auth, or to the token realm a registry names.</summary>
internal sealed record RegistryCredentials(string Username, string Password);

/// <summary>
/// The <c>registry-image</c> type's <c>source</c>, as Concourse's type reads it. With <c>tag</c> a check follows that
/// tag's digest; with <c>tag_regex</c> it reports every matching tag; with neither it reports semver tags (filtered by
/// <c>variant</c>, <c>semver_constraint</c>, <c>pre_releases</c>), and the bare <c>latest</c> (or variant) tag when it
/// is no semver tag's digest.
/// </summary>
internal sealed record RegistryImageSource(
    ImageRepository Repository,
    string? Tag,
    string? Variant,
    SemverConstraint? Constraint,
    Regex? TagRegex,
    bool CreatedAtSort,
    bool PreReleases,
    RegistryCredentials? Credentials,
    IReadOnlyList<string> CaCerts,
    bool Insecure,
    ImagePlatform Platform)
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("repository", FieldKind.String, Required: true),
        new ConfigField("tag", FieldKind.Any),
        new ConfigField("variant", FieldKind.String),
        new ConfigField("semver_constraint", FieldKind.String),
        new ConfigField("tag_regex", FieldKind.String),
        new ConfigField("created_at_sort", FieldKind.Boolean),
        new ConfigField("pre_releases", FieldKind.Boolean),
        new ConfigField("username", FieldKind.String),
        new ConfigField("password", FieldKind.String),
        new ConfigField("insecure", FieldKind.Boolean),
        new ConfigField("ca_certs", FieldKind.StringList),
        new ConfigField("platform", FieldKind.Object),
        new ConfigField("debug", FieldKind.Boolean),
    ]);

    /// <param name="overrides">A get's or put's params: their <c>username</c>/<c>password</c> win over the source's (Concourse's short-lived credentials).</param>
    public static RegistryImageSource Parse(JsonObject source, JsonObject? overrides = null)
    {
        Schema.Enforce(source, "source");
        var read = new ConfigReader(source, "source");
        var insecure = read.Boolean("insecure");
        var repository = ImageRepository.Parse(read.RequiredString("repository"), insecure);
        var tag = TagOf(source["tag"]);
        var regex = read.String("tag_regex") is { Length: > 0 } pattern ? CompileRegex(pattern) : null;
        if (tag is not null && regex is not null)
            throw new ResourceConfigException("source.tag_regex: cannot be combined with source.tag (tag follows one tag's digest)");
        var constraint = read.String("semver_constraint") is { Length: > 0 } text ? ParseConstraint(text) : null;
        var overriding = new ConfigReader(overrides, "params");
        var username = overriding.String("username") ?? read.String("username");
        var password = overriding.String("password") ?? read.String("password");
        var credentials = string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password) ? null : new RegistryCredentials(username, password);
        return new RegistryImageSource(repository, tag, read.String("variant") is { Length: > 0 } v ? v : null, constraint, regex,
            read.Boolean("created_at_sort"), read.Boolean("pre_releases"), credentials, read.StringList("ca_certs"), insecure,
            ImagePlatform.Parse(source["platform"] as JsonObject));
    }

    // Concourse's tag accepts numbers too (tag: 3.18 in YAML is a number).
    private static string? TagOf(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? null : s,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.ToJsonString(),
        _ => throw new ResourceConfigException("source.tag: must be a string"),
    };

    private static Regex CompileRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ResourceConfigException($"source.tag_regex: not a regular expression: {e.Message}");
        }
    }

    private static SemverConstraint ParseConstraint(string text)
    {
        try
        {
            return SemverConstraint.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ResourceConfigException($"source.semver_constraint: {e.Message}");
        }
    }
}

/// <summary>Which image of a multi-platform index a get unpacks: <c>source.platform</c>, else linux on this machine's architecture.</summary>
internal sealed record ImagePlatform(string Os, string Architecture)
{
    public static ImagePlatform Parse(JsonObject? platform)
    {
        var read = new ConfigReader(platform, "source.platform");
        return new ImagePlatform(read.String("os") ?? "linux", read.String("architecture") ?? Host);
    }

    private static string Host => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        _ => "amd64",
    };

    public override string ToString() => $"{Os}/{Architecture}";
}
