namespace Ferry.Engine.Running;

/// <summary>
/// Replaces secret values with <c>((redacted))</c>. Log text reaches it as whole lines, so a secret split across
/// two reads of a pipe is still caught; a multi-line secret is also redacted line by line.
/// </summary>
internal sealed class Redactor
{
    public const string Mask = "((redacted))";
    private string[] secrets = [];
    private readonly Lock gate = new();

    public Redactor(IEnumerable<string> secrets) => Add(secrets);

    public void Add(IEnumerable<string> values)
    {
        var more = values
            .SelectMany(v => v.Contains('\n', StringComparison.Ordinal) ? v.Split('\n').Append(v) : [v])
            .Select(v => v.TrimEnd('\r'))
            .Where(v => v.Trim().Length > 0);
        lock (gate)
        {
            secrets = [.. secrets.Concat(more).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
        }
    }

    public string Redact(string text)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        return text;
    }
}
