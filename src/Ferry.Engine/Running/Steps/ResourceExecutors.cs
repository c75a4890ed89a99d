using System.Text.Json.Nodes;
using Ferry.Core.Plans;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;

namespace Ferry.Engine.Running.Steps;

/// <summary>Calls a resource type with the build's metadata and a log writer, turning its exceptions into step errors with context.</summary>
internal static class ResourceCalls
{
    public static async Task<T> CallAsync<T>(StepContext context, StepLog log, string what, Func<ResourceCall, Task<T>> call)
    {
        var build = context.Build;
        await using var writer = new ResourceLogWriter(log);
        var cache = build.Request.ResourceCache ?? Path.Combine(build.Request.WorkRoot, "resource-cache");
        Directory.CreateDirectory(cache);
        try
        {
            return await call(new ResourceCall(writer, build.Request.Metadata, cache));
        }
        catch (Exception e) when (e is not OperationCanceledException and not StepException)
        {
            throw new StepException($"{what}: {e.Message}", e);
        }
        finally
        {
            await writer.CompleteAsync();
        }
    }

    /// <summary>Puts the version and its metadata on the step-finished event, as Concourse's finish-get/finish-put do.</summary>
    public static void Describe(ResourceVersion version, JsonObject finished)
    {
        finished["version"] = new JsonObject(version.Version.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        finished["metadata"] = new JsonArray([.. version.Metadata.Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["value"] = m.Value })]);
    }
}

/// <summary>Fetches a version into a new artifact.</summary>
internal sealed class GetExecutor(GetPlan getPlan) : ILeafStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, StepLog log, JsonObject finished, CancellationToken cancellation)
    {
        var what = $"get '{getPlan.Name}' (resource '{getPlan.Resource}', type '{getPlan.Type}')";
        var plan = context.Vars.Resolve(getPlan, what);
        var type = context.Build.ResourceType(what, plan.Type);
        var directory = context.Build.NewDirectory();
        var fetched = await ResourceCalls.CallAsync(context, log, what, async call =>
        {
            var version = plan.Version is null ? await LatestAsync(type, call, plan, what, cancellation) : new ResourceVersion(plan.Version);
            return await type.GetAsync(call, plan.Source, version, plan.Params, directory, cancellation);
        });
        context.Artifacts.Register(plan.Name, directory);
        context.Build.Gets.Enqueue(new StepVersion(plan.Id, plan.Name, plan.Resource, fetched));
        ResourceCalls.Describe(fetched, finished);
        return StepOutcome.Succeeded;
    }

    private static async Task<ResourceVersion> LatestAsync(IResourceType type, ResourceCall call, GetPlan plan, string what, CancellationToken cancellation)
    {
        var versions = await type.CheckAsync(call, plan.Source, null, cancellation);
        return versions.Count > 0 ? versions[^1] : throw new StepException($"{what}: latest version of resource not found");
    }
}

/// <summary>Pushes with the artifacts it is given, records the new version, then gets it (the implicit get).</summary>
internal sealed class PutExecutor(PutPlan putPlan) : ILeafStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, StepLog log, JsonObject finished, CancellationToken cancellation)
    {
        var what = $"put '{putPlan.Name}' (resource '{putPlan.Resource}', type '{putPlan.Type}')";
        var plan = context.Vars.Resolve(putPlan, what);
        var type = context.Build.ResourceType(what, plan.Type);
        var inputs = context.Build.NewDirectory();
        foreach (var (name, directory) in SelectInputs(plan, context.Artifacts, what))
        {
            Directory.CreateSymbolicLink(Path.Combine(inputs, name), directory);
        }
        var created = await ResourceCalls.CallAsync(context, log, what, call => type.PutAsync(call, plan.Source, plan.Params, inputs, cancellation));
        context.Build.Puts.Enqueue(new StepVersion(plan.Id, plan.Name, plan.Resource, created));
        ResourceCalls.Describe(created, finished);
        if (!plan.NoGet)
        {
            var directory = context.Build.NewDirectory();
            await ResourceCalls.CallAsync(context, log, $"{what}: implicit get", call => type.GetAsync(call, plan.Source, created, plan.GetParams, directory, cancellation));
            context.Artifacts.Register(plan.Name, directory);
        }
        return StepOutcome.Succeeded;
    }

    private static IEnumerable<KeyValuePair<string, string>> SelectInputs(PutPlan plan, ArtifactScope artifacts, string what)
    {
        var all = artifacts.All();
        return plan.Inputs.Mode switch
        {
            PutInputsMode.All => all,
            PutInputsMode.Detect => all.Where(a => Mentioned(plan.Params).Contains(a.Key)),
            _ => plan.Inputs.Names.Select(name => KeyValuePair.Create(name, all.GetValueOrDefault(name)
                ?? throw new StepException($"{what}: inputs: no artifact named '{name}'"))),
        };
    }

    /// <summary>Concourse's <c>inputs: detect</c>: the first path segment of every string in the params.</summary>
    private static HashSet<string> Mentioned(JsonNode? node) => node switch
    {
        JsonObject o => [.. o.SelectMany(p => Mentioned(p.Value))],
        JsonArray a => [.. a.SelectMany(Mentioned)],
        JsonValue v when v.TryGetValue<string>(out var s) => [s.TrimStart('.', '/').Split('/')[0]],
        _ => [],
    };
}
