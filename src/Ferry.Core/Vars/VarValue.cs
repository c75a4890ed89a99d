using System.Text.Json.Nodes;

namespace Ferry.Core.Vars;

/// <summary>A var's value at run time; <see cref="Secret"/> values are redacted from logs.</summary>
public sealed record VarValue(JsonNode? Value, bool Secret = false);

/// <summary>Finds a var by name (<c>source:path</c> or <c>path</c>); null when it is not known.</summary>
public delegate VarValue? VarLookup(VarReference reference);

/// <summary>What run-time interpolation produced and what it used.</summary>
public sealed record InterpolationResult(
    JsonNode? Value,
    IReadOnlyList<string> Used,
    IReadOnlyList<string> SecretNames,
    IReadOnlyList<string> SecretValues,
    IReadOnlyList<VarReference> Unresolved,
    IReadOnlyList<string> Errors)
{
    public bool Succeeded => Unresolved.Count == 0 && Errors.Count == 0;
}
