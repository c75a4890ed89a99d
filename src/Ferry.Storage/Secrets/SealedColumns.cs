using System.Text.Json.Nodes;
using Ferry.Storage.Environments;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Secrets;

/// <summary>
/// What a pipeline set with <c>--secret-var</c> keeps encrypted at rest (with <see cref="SecretBox"/>, like environment
/// secrets): the secret vars' values (apart from the plain vars), and everything the server derives from the config
/// with those values filled in: its resources' source, config and webhook token, and its builds' plans. A sealed
/// column holds <c>v1:</c> and the ciphertext instead of JSON; a plain one is read as it is. Each ciphertext is bound to
/// its place (the context), so it does not open when copied to another row.
/// </summary>
internal static class SealedColumns
{
    public static string PipelineVars(long pipelineId, long number) => $"ferry-pipeline-vars:{pipelineId}:{number}";

    public static string Resource(long pipelineId, string name, string column) => $"ferry-resource:{pipelineId}:{name}:{column}";

    public static string BuildPlan(long? pipelineId) => $"ferry-build-plan:{pipelineId}";

    /// <summary>The vars without the secret ones (JSON), and the secret ones sealed (null when there are none).</summary>
    public static (string Plain, string? Sealed) SplitVars(SecretBox box, JsonObject vars, IReadOnlyCollection<string> secretNames, string context)
    {
        var plain = new JsonObject();
        var secret = new JsonObject();
        foreach (var (name, value) in vars)
        {
            (secretNames.Contains(name) ? secret : plain)[name] = value?.DeepClone();
        }
        return (Col.Json(plain), secret.Count == 0 ? null : box.Seal(secret.ToJsonString(), context));
    }

    /// <summary>The plain vars with the sealed ones opened and added back.</summary>
    public static JsonObject MergeVars(SecretBox box, string plain, string? sealedVars, string context)
    {
        var vars = Col.Object(plain);
        if (sealedVars is not null)
        {
            foreach (var (name, value) in Col.Object(box.Open(sealedVars, context)))
            {
                vars[name] = value?.DeepClone();
            }
        }
        return vars;
    }

    public static string? SealIf(SecretBox box, bool seal, string? text, string context) =>
        seal && text is not null && !SecretBox.IsSealed(text) ? box.Seal(text, context) : text;

    public static string? Open(SecretBox box, string? text, string context) =>
        text is not null && SecretBox.IsSealed(text) ? box.Open(text, context) : text;
}
