using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Cli.Client;

/// <summary>
/// The servers <c>ferry login</c> signed in to, as <c>fly login</c> keeps its targets: one file,
/// <c>$XDG_CONFIG_HOME/ferry/targets.json</c> (else <c>~/.config/ferry/targets.json</c>), readable by its owner only,
/// holding each server's URL with its token, and which one is current. A token is only ever sent to the URL it was
/// saved for.
/// </summary>
internal static class Targets
{
    private static readonly AsyncLocal<string?> Override = new();

    /// <summary>The file, or the one a caller in this process gave (tests running at once each give their own).</summary>
    public static string FilePath => Override.Value ?? DefaultPath();

    /// <summary>Reads and writes <paramref name="path"/> from here on, in this async flow only.</summary>
    public static void Use(string path) => Override.Value = path;

    private static string DefaultPath()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrWhiteSpace(config))
        {
            config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }
        return Path.Combine(config, "ferry", "targets.json");
    }

    /// <summary>The URL <c>ferry login</c> signed in to last; null when there is none.</summary>
    public static Uri? Current => Read()?["current"]?.GetValue<string>() is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>The token saved for exactly <paramref name="url"/>; null when none is.</summary>
    public static string? TokenFor(Uri url) => Read()?["targets"]?[Key(url)]?["token"]?.GetValue<string>();

    public static void Save(Uri url, string token, string user)
    {
        var file = Read() ?? [];
        var targets = file["targets"] as JsonObject ?? [];
        targets[Key(url)] = new JsonObject { ["token"] = token, ["user"] = user, ["savedAt"] = DateTimeOffset.UtcNow.ToString("O") };
        file["targets"] = targets;
        file["current"] = Key(url);
        Write(file);
    }

    /// <summary>Forgets the token for <paramref name="url"/>; false when none was saved.</summary>
    public static bool Remove(Uri url)
    {
        var file = Read();
        if (file?["targets"] is not JsonObject targets || !targets.Remove(Key(url)))
        {
            return false;
        }
        if (file["current"]?.GetValue<string>() == Key(url))
        {
            file.Remove("current");
        }
        Write(file);
        return true;
    }

    private static string Key(Uri url) => url.AbsoluteUri;

    private static JsonObject? Read()
    {
        try
        {
            return File.Exists(FilePath) ? JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"cannot read the saved targets {FilePath}: {e.Message} (ferry login writes it again)");
        }
    }

    /// <summary>Writes the file 0600 in a 0700 directory from the start: the tokens are never readable by others.</summary>
    private static void Write(JsonObject file)
    {
        var directory = Path.GetDirectoryName(FilePath)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var temporary = $"{FilePath}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(file.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
