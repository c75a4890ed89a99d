using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Validation;
using Ferry.Server.Api;
using Ferry.Storage;

namespace Ferry.Server.Pipelines;

/// <summary>
/// Turns a <see cref="SetPipelineRequest"/> into a checked config: loads and validates it with the pipeline loader
/// (422 listing each error with its config path and place), and gives what the store keeps for it.
/// </summary>
internal static class PipelineSetter
{
    public const string DefaultFileName = "pipeline.yml";

    public sealed record Checked(string Yaml, JsonObject Vars, PipelineConfig Config, IReadOnlyList<ConfigError> Warnings);

    public static Checked Check(string pipelineName, SetPipelineRequest request)
    {
        if (!IsValidName(pipelineName))
        {
            throw ApiException.BadRequest("pipeline",
                $"pipeline name '{pipelineName}' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit");
        }
        if (string.IsNullOrWhiteSpace(request.Config))
        {
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, "config: the pipeline config is empty", "config");
        }
        var vars = PipelineVars.From(request);
        var fileName = string.IsNullOrWhiteSpace(request.FileName) ? DefaultFileName : Path.GetFileName(request.FileName);
        var result = PipelineLoader.Load(request.Config, fileName, new PipelineLoadOptions { Vars = Ferry.Engine.Pipelines.PipelineConfigs.ToStaticVars(vars) });
        if (!result.IsValid || result.Pipeline is null)
        {
            var errors = result.Errors.Select(ToError).ToList();
            var first = errors.FirstOrDefault();
            // One error is the answer itself; several are counted here and listed in `errors`, each once.
            var detail = errors.Count switch
            {
                0 => $"{fileName}: the pipeline config is not valid",
                1 => $"{first!.Location} {(first.Path.Length > 0 ? first.Path + ": " : "")}{first.Message}",
                _ => $"{fileName} has {errors.Count} errors:",
            };
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, detail, first?.Path is { Length: > 0 } path ? path : "config", errors);
        }
        return new Checked(request.Config, vars, result.Pipeline, result.Warnings.Select(ToError).ToList());
    }

    public static PipelineConfigInput ToInput(string pipelineName, Checked config, bool pausedIfNew, string? createdBy,
        IReadOnlyList<string>? secretVars = null) => new(
        pipelineName, config.Yaml, config.Vars, createdBy,
        config.Config.Resources.Select(ToDefinition).ToList(),
        config.Config.Jobs.Select(ToDefinition).ToList(),
        pausedIfNew) { SecretVars = secretVars ?? [] };

    // What the engine reads back per resource; the webhook token travels apart so the config can be shown without it.
    private static ResourceDefinition ToDefinition(ResourceConfig r)
    {
        var config = new JsonObject
        {
            ["name"] = r.Name,
            ["type"] = r.Type,
            ["source"] = r.Source.DeepClone(),
            ["check_every"] = r.CheckEvery,
            ["check_timeout"] = r.CheckTimeout,
            ["version"] = r.Version?.DeepClone(),
            ["icon"] = r.Icon,
            ["tags"] = new JsonArray([.. r.Tags.Select(t => JsonValue.Create(t))]),
            ["public"] = r.Public,
        };
        return new ResourceDefinition(r.Name, r.Type, (JsonObject)r.Source.DeepClone(), config, r.WebhookToken);
    }

    private static JobDefinition ToDefinition(JobConfig j) => new(j.Name, new JsonObject
    {
        ["name"] = j.Name,
        ["serial"] = j.Serial,
        ["serial_groups"] = new JsonArray([.. j.SerialGroups.Select(g => JsonValue.Create(g))]),
        ["max_in_flight"] = j.MaxInFlight,
        ["disable_manual_trigger"] = j.DisableManualTrigger,
        ["interruptible"] = j.Interruptible,
        ["public"] = j.Public,
    });

    private static ConfigError ToError(Diagnostic d) => new(d.Location.ToString(), d.Path, d.Message);

    internal static bool IsValidName(string name) =>
        name.Length is > 0 and <= 128 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
