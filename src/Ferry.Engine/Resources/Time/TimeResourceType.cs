using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources.External;

namespace Ferry.Engine.Resources.Time;

/// <summary>
/// The built-in <c>time</c> type: versions <c>{time: RFC 3339}</c>, a new one only when due; get writes the request
/// to an <c>input</c> file as Concourse's does; put returns the current time.
/// </summary>
internal sealed class TimeResourceType(TimeProvider clock) : IResourceType
{
    public string Name => "time";

    public Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation)
    {
        var config = TimeSource.Parse(source);
        var now = clock.GetUtcNow();
        var previous = from is not null && from.Version.TryGetValue("time", out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : (DateTimeOffset?)null;
        var versions = new List<ResourceVersion>();
        if (from is not null)
            versions.Add(from);
        if (TimeWindow.IsDue(config, now, previous) || (from is null && config.InitialVersion))
            versions.Add(At(now));
        return Task.FromResult<IReadOnlyList<ResourceVersion>>(versions);
    }

    public async Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation)
    {
        var request = new JsonObject { ["source"] = source.DeepClone(), ["version"] = ConcourseJson.VersionObject(version), ["params"] = @params.DeepClone() };
        await File.WriteAllTextAsync(Path.Combine(directory, "input"), request.ToJsonString(), cancellation);
        return version;
    }

    public Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation)
    {
        TimeSource.Parse(source);
        return Task.FromResult(At(clock.GetUtcNow()));
    }

    internal static ResourceVersion At(DateTimeOffset now) =>
        new(new Dictionary<string, string> { ["time"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture) });
}
