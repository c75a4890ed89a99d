using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// The node-red type's <c>source</c>: the instance's Admin API root (<c>url</c>, including any
/// <c>httpAdminRoot</c>) and, when the instance has <c>adminAuth</c>, either a bearer <c>token</c> or a
/// <c>username</c> and <c>password</c> Ferry logs in with (<see cref="NodeRedLogin"/>).
/// </summary>
internal sealed record NodeRedSource(Uri Url, string? Token, string? Username = null, string? Password = null)
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("url", FieldKind.String, Required: true),
        new ConfigField("token", FieldKind.String),
        new ConfigField("username", FieldKind.String),
        new ConfigField("password", FieldKind.String),
    ]);

    public static NodeRedSource Parse(JsonObject source)
    {
        Schema.Enforce(source, "source");
        var read = new ConfigReader(source, "source");
        var url = read.RequiredString("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ResourceConfigException($"source.url: '{url}' is not an http(s) URL of a Node-RED instance");
        var token = NonEmpty(read.String("token"));
        var username = NonEmpty(read.String("username"));
        var password = NonEmpty(read.String("password"));
        if (username is not null && password is null)
            throw new ResourceConfigException("source.password: required with source.username (the adminAuth user Ferry logs in as)");
        if (password is not null && username is null)
            throw new ResourceConfigException("source.username: required with source.password (the adminAuth user Ferry logs in as)");
        if (token is not null && username is not null)
            throw new ResourceConfigException("source.token: give either source.token or source.username and source.password, not both");
        return new NodeRedSource(uri, token, username, password);
    }

    /// <summary>The admin root without a trailing slash: every Admin API path is appended to it.</summary>
    public string Root => Url.AbsoluteUri.TrimEnd('/');

    /// <summary>The Admin API's flows endpoint under <see cref="Url"/>.</summary>
    public Uri FlowsUrl => new(Root + "/flows");

    public Uri Endpoint(string path) => new(Root + path);

    // A record prints its members: never the password or the token.
    public override string ToString() => $"node-red {Url}{(Username is null ? "" : " as " + Username)}";

    private static string? NonEmpty(string? text) => text is { Length: > 0 } ? text : null;
}
