using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.Git;

/// <summary>
/// The git type's <c>source</c>. <c>branch</c> (default: the remote's HEAD) watches one branch; <c>branches</c>
/// (a glob such as <c>pr/*</c>) switches to branch-listing mode, see <see cref="GitBranchSet"/>.
/// </summary>
internal sealed record GitSource(
    string Uri,
    string? Branch,
    string? Branches,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string> IgnorePaths,
    string? TagFilter,
    bool DisableCiSkip,
    GitAuth Auth)
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("uri", FieldKind.String, Required: true),
        new ConfigField("branch", FieldKind.String),
        new ConfigField("branches", FieldKind.String),
        new ConfigField("paths", FieldKind.StringList),
        new ConfigField("ignore_paths", FieldKind.StringList),
        new ConfigField("tag_filter", FieldKind.String),
        new ConfigField("disable_ci_skip", FieldKind.Boolean),
        new ConfigField("private_key", FieldKind.String),
        new ConfigField("username", FieldKind.String),
        new ConfigField("password", FieldKind.String),
        new ConfigField("skip_ssl_verification", FieldKind.Boolean),
    ]);

    public bool ListsBranches => Branches is not null;

    public static GitSource Parse(JsonObject source)
    {
        Schema.Enforce(source, "source");
        var read = new ConfigReader(source, "source");
        var branch = read.String("branch");
        var branches = read.String("branches");
        if (branch is not null && branches is not null)
            throw new ResourceConfigException("source.branches: cannot be combined with source.branch (branches lists every matching branch)");
        var tagFilter = read.String("tag_filter");
        if (branches is not null && tagFilter is not null)
            throw new ResourceConfigException("source.branches: cannot be combined with source.tag_filter");
        var auth = new GitAuth(read.String("private_key"), read.String("username"), read.String("password"), read.Boolean("skip_ssl_verification"));
        return new GitSource(read.RequiredString("uri"), branch, branches, read.StringList("paths"), read.StringList("ignore_paths"), tagFilter, read.Boolean("disable_ci_skip"), auth);
    }

    /// <summary>git pathspecs for paths/ignore_paths (empty when the whole tree counts).</summary>
    public IReadOnlyList<string> Pathspecs() =>
        Paths.Concat(IgnorePaths.Select(p => ":(exclude)" + p)).ToList();
}
