using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// The node-red type's <c>source</c>: the instance's Admin API root (<c>url</c>, including any
/// <c>httpAdminRoot</c>) and, when the instance has <c>adminAuth</c>, a bearer <c>token</c>.
/// </summary>
internal sealed record NodeRedSource(Uri Url, string? Token)
{
    public static readonly ConfigSchema Schema = new(
    [
        new ConfigField("url", FieldKind.String, Required: true),
        new ConfigField("token", FieldKind.String),
    ]);

    public static NodeRedSource Parse(JsonObject source)
    {
        Schema.Enforce(source, "source");
        var read = new ConfigReader(source, "source");
        var url = read.RequiredString("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ResourceConfigException($"source.url: '{url}' is not an http(s) URL of a Node-RED instance");
        return new NodeRedSource(uri, read.String("token") is { Length: > 0 } token ? token : null);
    }

    /// <summary>The Admin API's flows endpoint under <see cref="Url"/>.</summary>
    public Uri FlowsUrl => new(Url.AbsoluteUri.TrimEnd('/') + "/flows");
}
