using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;

namespace Ferry.Engine.Promoting;

/// <summary>
/// The instance an environment is bound to (a stage, FlowFuse calls it), as the environments view shows it.
/// </summary>
/// <param name="Url">Where it runs, without credentials (a token never leaves the config).</param>
/// <param name="Resource">The resource whose snapshots are the pipeline's releases (<c>instance: dev-flows</c>); null for an inline instance.</param>
/// <param name="Snapshot">The snapshot hash of the current release's flows; null without a release.</param>
public sealed record InstanceRef(string Type, string Url, string? Resource, string? Snapshot)
{
    public static InstanceRef? Of(PipelineConfig config, EnvironmentConfig environment, Release? current)
    {
        if (environment.Instance is not { } binding)
            return null;
        var declared = binding.ResourceName is { } name ? config.FindResource(name) : null;
        var type = binding.Type ?? declared?.Type;
        var source = binding.Source ?? declared?.Source;
        if (type is null)
            return null;
        var url = source?["url"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text) ? WithoutCredentials(text) : "";
        var snapshot = current?.Items.Select(i => i.Version.GetValueOrDefault("snapshot")).FirstOrDefault(s => s is not null);
        return new InstanceRef(type, url, binding.ResourceName, snapshot);
    }

    private static string WithoutCredentials(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString()
            : url;
}
