using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Steps;
using Ferry.Core.Resolving;
using Ferry.Storage;

namespace Ferry.Engine.Scheduling;

/// <summary>A job's inputs as the resolver takes them: every get step of its plan and hooks, with pins applied.</summary>
internal static class JobInputs
{
    /// <param name="resources">The pipeline's resources by name (their <c>ferry pin</c> state).</param>
    /// <param name="findVersion">Finds a stored version of a resource by its fields (a pinned version).</param>
    public static async Task<List<InputConfig>> OfAsync(PipelineConfig pipeline, JobConfig job,
        IReadOnlyDictionary<string, ResourceRecord> resources,
        Func<int, IReadOnlyDictionary<string, string>, Task<long?>> findVersion)
    {
        var inputs = new List<InputConfig>();
        foreach (var get in job.AllSteps().OfType<GetStep>())
        {
            if (inputs.Exists(i => i.Name == get.Name) || !resources.TryGetValue(get.Resource, out var resource))
                continue;
            var mode = get.Version.Mode switch
            {
                GetVersionMode.Every => VersionMode.Every,
                GetVersionMode.Pinned => VersionMode.Pinned,
                _ => VersionMode.Latest,
            };
            VersionPin? pin = null;
            if (get.Version.Pinned is { } stepPin)
            {
                var fields = stepPin.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "");
                pin = new VersionPin(PinText(fields), await findVersion(resource.Id, fields));
            }
            else if (resource.PinnedVersionId is { } pinnedId)
            {
                pin = new VersionPin($"id:{pinnedId}", pinnedId);
                mode = VersionMode.Pinned;
            }
            else if (pipeline.FindResource(resource.Name)?.Version is { } configPin)
            {
                var fields = configPin.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "");
                pin = new VersionPin(PinText(fields), await findVersion(resource.Id, fields));
                mode = VersionMode.Pinned;
            }
            inputs.Add(new InputConfig(get.Name, get.Resource, get.Passed, mode, pin, get.Trigger));
        }
        return inputs;
    }

    /// <summary>How a pin reads in errors: <c>ref:abc</c>, fields sorted.</summary>
    public static string PinText(IReadOnlyDictionary<string, string> fields) =>
        string.Join(",", fields.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}"));
}
