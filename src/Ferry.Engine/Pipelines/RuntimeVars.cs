using System.Text.Json.Nodes;
using Ferry.Core.Vars;
using Ferry.Engine.Resources;

namespace Ferry.Engine.Pipelines;

/// <summary>
/// ((vars)) left in a config after set-pipeline are for a var source to fill at run time. Ferry has no var source
/// configured yet, so such a var is an error that names it and where it stands, rather than a literal
/// <c>((repo))</c> handed to git.
/// </summary>
internal static class RuntimeVars
{
    public static void EnsureResolved(JsonNode? node, string path)
    {
        var missing = JsonInterpolator.References(node).Where(r => r.Source != ".").Select(r => $"(({r}))").Distinct().ToList();
        if (missing.Count > 0)
            throw ResourceException.Terminal($"{path}: undefined var {string.Join(", ", missing)} (set it with set-pipeline -v or -l)");
    }
}
