using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;

namespace Ferry.Core.Promotion;

/// <summary>
/// Reads promotion's view of a pipeline's <c>environments:</c>: the DAG (only <c>from</c> entries that name
/// environments; job names there are where a first environment's releases come from), each policy, and the variable
/// keys. A variable declared as <c>KEY: {required: true}</c> has no value in the file and must get one in the
/// environment (API, CLI, UI) before a release may go there.
/// </summary>
public static class PipelineEnvironments
{
    public static EnvironmentGraph Graph(PipelineConfig config) => new(config.Environments.Select(e => Node(config, e)));

    public static EnvironmentNode Node(PipelineConfig config, EnvironmentConfig environment) =>
        new(environment.Name, [.. environment.From.Where(f => config.FindEnvironment(f) is not null)], environment.FromPolicy == FromPolicy.Any);

    /// <summary>The jobs a first environment forms its releases from (<c>from</c> entries that name jobs).</summary>
    public static IReadOnlyList<string> FromJobs(PipelineConfig config, EnvironmentConfig environment) =>
        [.. environment.From.Where(f => config.FindEnvironment(f) is null && config.FindJob(f) is not null)];

    public static EnvironmentPolicy Policy(EnvironmentConfig environment) =>
        new(environment.Name, environment.Promote == PromoteMode.Auto, environment.Protected,
            environment.Approval is { } approval ? new ApprovalRule(approval.Required, approval.From, approval.AllowSelf) : null,
            environment.RollbackOnFailure, ForEach: environment.ForEach);

    /// <summary>Every key the file declares for the environment, required or not.</summary>
    public static IReadOnlyList<VariableKey> Keys(EnvironmentConfig environment) =>
        [.. (environment.Variables ?? []).Select(p => new VariableKey(p.Key, IsRequired(p.Value)))];

    /// <summary>The plain values the file gives (scalars rendered as text); declarations without a value are left out.</summary>
    public static IReadOnlyDictionary<string, string> Values(EnvironmentConfig environment) =>
        (environment.Variables ?? []).Where(p => p.Value is JsonValue)
            .ToDictionary(p => p.Key, p => p.Value!.GetValueKind() == System.Text.Json.JsonValueKind.String ? p.Value.GetValue<string>() : p.Value!.ToJsonString(),
                StringComparer.Ordinal);

    private static bool IsRequired(JsonNode? value) =>
        value is JsonObject declaration && declaration["required"] is JsonValue flag && flag.GetValueKind() == System.Text.Json.JsonValueKind.True;
}
