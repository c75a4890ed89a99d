using Ferry.Storage;

namespace Ferry.Server.Auth;

/// <summary>
/// A first start (a store without users) makes the owner <c>admin</c> and writes its API token, once, to
/// <c>&lt;data&gt;/admin-token</c>, readable by the server's OS user only: whoever can read that file can already read
/// the store, so it is where the first token can wait for its owner without being shown in a log.
/// </summary>
internal static class FirstOwner
{
    public const string Name = "admin";
    public const string TokenFileName = "admin-token";

    /// <summary>The token file's path when this start made the owner; null when the store had users.</summary>
    public static async Task<string?> EnsureAsync(IStore store, string dataDirectory, CancellationToken cancellationToken)
    {
        if ((await store.ListUsersAsync(cancellationToken)).Count > 0)
        {
            return null;
        }
        var token = await store.CreateFirstOwnerAsync(Name, "first start", cancellationToken);
        if (token is null)
        {
            return null;
        }
        var path = Path.Combine(dataDirectory, TokenFileName);
        await WritePrivateAsync(path, token.Token + "\n", cancellationToken);
        return path;
    }

    /// <summary>Writes a file only its owner may read (0600 from its creation: never a moment readable by others).</summary>
    internal static async Task WritePrivateAsync(string path, string content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            await using (var stream = new FileStream(temporary, options))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(content.AsMemory(), cancellationToken);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
