namespace Ferry.Server.Ui.Environments;

/// <summary>Versions as the environments view prints them: <c>ref: 3f2a1b9c</c>, git shas cut to 8 characters (the title has them whole).</summary>
internal static class VersionText
{
    public static string Short(IReadOnlyDictionary<string, string>? version) =>
        version is null ? "—" : string.Join(", ", version.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {Cut(kv.Value)}"));

    public static string Full(IReadOnlyDictionary<string, string>? version) =>
        version is null ? "" : string.Join(", ", version.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}"));

    public static string Cut(string value) =>
        value.Length == 40 && value.All(char.IsAsciiHexDigit) ? value[..8] : value;
}
