using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using YamlDotNet.Serialization;

namespace Ferry.Engine.Running.Steps;

/// <summary>Reads a file from an artifact into a build-local var; unless revealed, its value is redacted like a secret.</summary>
internal sealed class LoadVarExecutor(LoadVarPlan loadPlan) : ILeafStep
{
    public Task<StepOutcome> RunAsync(StepContext context, StepLog log, JsonObject finished, CancellationToken cancellation)
    {
        var what = $"load_var '{loadPlan.Name}'";
        var plan = context.Vars.Resolve(loadPlan, what);
        var path = context.Artifacts.ResolveFile(plan.File, $"{what}: file");
        var text = File.ReadAllText(path);
        var format = plan.Format ?? Path.GetExtension(path) switch
        {
            ".json" => "json",
            ".yml" or ".yaml" => "yaml",
            _ => "trim",
        };
        JsonNode? value;
        try
        {
            value = format switch
            {
                "json" => JsonNode.Parse(text),
                "yaml" => JsonNode.Parse(new SerializerBuilder().JsonCompatible().Build().Serialize(new Deserializer().Deserialize<object?>(text))),
                "trim" => JsonValue.Create(text.Trim()),
                "raw" => JsonValue.Create(text),
                _ => throw new StepException($"{what}: format '{format}' is not one of json, yaml, trim, raw"),
            };
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw new StepException($"{what}: file '{plan.File}' is not valid {format}: {e.Message}", e);
        }
        if (!plan.Reveal)
        {
            context.Build.Redactor.Add(Leaves(value));
        }
        context.Vars.Set(plan.Name, value);
        return Task.FromResult(StepOutcome.Succeeded);
    }

    private static IEnumerable<string> Leaves(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Leaves(p.Value)),
        JsonArray a => a.SelectMany(Leaves),
        null => [],
        _ => [LocalVars.AsText(node)],
    };
}

/// <summary>Hands the pipeline file an earlier step produced to the server's pipeline setter.</summary>
internal sealed class SetPipelineExecutor(SetPipelinePlan setPlan) : ILeafStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, StepLog log, JsonObject finished, CancellationToken cancellation)
    {
        var what = $"set_pipeline '{setPlan.Name}'";
        var plan = context.Vars.Resolve(setPlan, what);
        var setter = context.Build.Request.PipelineSetter ?? throw new StepException($"{what}: no pipeline setter is configured for this runner");
        var file = context.Artifacts.ResolveFile(plan.File, $"{what}: file");
        var varFiles = plan.VarFiles.Select((f, i) => context.Artifacts.ResolveFile(f, $"{what}: var_files[{i}]")).ToList();
        foreach (var line in await setter.SetAsync(plan, file, varFiles, cancellation))
            await log.WriteLineAsync(line, LogStream.Stdout);
        return StepOutcome.Succeeded;
    }
}
