using System.Text;

namespace Ferry.Engine.Running;

/// <summary>
/// Replaces secret values with <c>((redacted))</c>. Log text reaches it as whole lines, so a secret split across
/// two reads of a pipe is still caught; a multi-line secret is also redacted line by line. Each value is also
/// caught in the forms a task most often prints it in (<see cref="EncodedForms"/>): base64 and base64url, also
/// inside a longer encoded text, and hex in either case.
/// </summary>
internal sealed class Redactor
{
    public const string Mask = "((redacted))";

    /// <summary>A shifted base64 core shorter than this would match unrelated text too often to be worth masking.</summary>
    private const int MinimumShiftedLength = 8;

    private string[] secrets = [];
    private readonly Lock gate = new();

    public Redactor(IEnumerable<string> secrets) => Add(secrets);

    public void Add(IEnumerable<string> values)
    {
        var more = values
            .SelectMany(v => v.Contains('\n', StringComparison.Ordinal) ? v.Split('\n').Append(v) : [v])
            .Select(v => v.TrimEnd('\r'))
            .Where(v => v.Trim().Length > 0)
            .SelectMany(v => EncodedForms(v).Prepend(v));
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

    /// <summary>
    /// The value's UTF-8 bytes as base64 (with and without padding), base64url, and lower- and upper-case hex. A value
    /// encoded as part of a longer text (<c>base64 of "user:SECRET"</c>) starts at any of three byte offsets in a
    /// 3-byte group; for each offset the characters that come from the value's bytes alone are the same whatever
    /// surrounds it, so those cores are masked too (when long enough not to match by chance).
    /// </summary>
    internal static IEnumerable<string> EncodedForms(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var base64 = Convert.ToBase64String(bytes);
        yield return base64;
        yield return base64.TrimEnd('=');
        yield return UrlSafe(base64);
        yield return Convert.ToHexStringLower(bytes);
        yield return Convert.ToHexString(bytes);
        for (var offset = 0; offset < 3; offset++)
        {
            if (Core(bytes, offset) is { Length: >= MinimumShiftedLength } core)
            {
                yield return core;
                yield return UrlSafe(core);
            }
        }
    }

    /// <summary>The base64 characters of <paramref name="bytes"/> placed after <paramref name="offset"/> other bytes that depend on no other byte.</summary>
    private static string Core(byte[] bytes, int offset)
    {
        var shifted = new byte[offset + bytes.Length];
        bytes.CopyTo(shifted, offset);
        var encoded = Convert.ToBase64String(shifted);
        // Character i holds bits 6i..6i+5 of the stream; the value's bits are 8*offset .. 8*(offset+length)-1.
        var first = (8 * offset + 5) / 6;
        var end = 8 * (offset + bytes.Length) / 6;
        return end > first ? encoded[first..end] : "";
    }

    private static string UrlSafe(string base64) => base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
