using System.Text.Json;
using Ferry.Core.Pipelines;
using Ferry.Core.Validation;

namespace Ferry.Cli.Validate;

internal static class ValidateOutput
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    public static async Task WriteText(PipelineLoadResult result, TextWriter output)
    {
        foreach (var warning in result.Warnings)
        {
            await output.WriteLineAsync($"warning: {warning}");
        }
        foreach (var error in result.Errors)
        {
            await output.WriteLineAsync($"error: {error}");
        }
        var counts = Count(result.Errors.Count, "error") + (result.Warnings.Count > 0 ? ", " + Count(result.Warnings.Count, "warning") : "");
        await output.WriteLineAsync(result.IsValid
            ? $"{result.FileName}: valid" + (result.Warnings.Count > 0 ? $" ({Count(result.Warnings.Count, "warning")})" : "")
            : $"{result.FileName}: invalid ({counts})");
    }

    public static async Task WriteJson(PipelineLoadResult result, TextWriter output)
    {
        var document = new
        {
            file = result.FileName,
            valid = result.IsValid,
            errors = result.Errors.Select(Item),
            warnings = result.Warnings.Select(Item),
            graph = result.Graph,
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(document, Json));
    }

    private static object Item(Diagnostic d) => new
    {
        file = d.Location.File,
        line = d.Location.Line,
        column = d.Location.Column,
        path = d.Path,
        message = d.Message,
    };

    private static string Count(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}
