using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ferry.Core.Resolving;
using Ferry.Core.Resolving.VersionsDb;

namespace Ferry.Cli.Debug;

/// <summary>What <c>ferry debug resolve</c> prints: a table for people, or camelCase JSON.</summary>
internal sealed class ResolveReport(IReadOnlyList<string> inputNames, Resolution result, VersionsDump dump, double elapsedMs, double loadMs)
{
    // Relaxed escaping: reasons quote job names ('unit') and should read as written.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var blockers = new Dictionary<string, IReadOnlyList<InputBlocker>>(StringComparer.Ordinal);
        foreach (var name in inputNames)
        {
            if (result.Values.TryGetValue(name, out var value))
            {
                values[name] = dump.VersionName(value.VersionId);
            }
            if (result.Errors.TryGetValue(name, out var message))
            {
                errors[name] = message;
            }
            if (result.Blockers.TryGetValue(name, out var why))
            {
                blockers[name] = why;
            }
        }
        var document = new
        {
            ok = result.Ok,
            values,
            errors,
            blockers,
            elapsedMs = Math.Round(elapsedMs, 3),
            loadMs = Math.Round(loadMs, 1),
        };
        return JsonSerializer.Serialize(document, Json) + Environment.NewLine;
    }

    public string ToText()
    {
        var width = Math.Max("INPUT".Length, inputNames.Max(n => n.Length)) + 2;
        var text = new StringBuilder();
        text.Append("INPUT".PadRight(width)).AppendLine("VERSION");
        foreach (var name in inputNames)
        {
            text.Append(name.PadRight(width));
            if (result.Values.TryGetValue(name, out var value))
            {
                text.AppendLine(dump.VersionName(value.VersionId));
                continue;
            }
            text.Append("error: ").AppendLine(result.Errors[name]);
            foreach (var blocker in result.Blockers.GetValueOrDefault(name, []))
            {
                text.Append(' ', width + 2).AppendLine(blocker.Job is null ? blocker.Reason : $"blocked by '{blocker.Job}': {blocker.Reason}");
            }
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{(result.Ok ? "resolved" : "not resolved")} in {elapsedMs:0.###} ms (dump loaded in {loadMs:0} ms)");
        return text.ToString();
    }
}
