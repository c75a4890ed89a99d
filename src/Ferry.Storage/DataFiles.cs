namespace Ferry.Storage;

/// <summary>
/// The data directory holds the SQLite file, the secrets key, the antiforgery keys and tokens: only the server's OS
/// user may read it. Ferry creates it 0700 and the files it keeps there 0600 (SQLite gives its -wal and -shm files the
/// mode of the database file). Nothing changes on Windows, where the directory's ACL applies.
/// </summary>
public static class DataFiles
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory (and missing parents) 0700; an existing one keeps its mode.</summary>
    /// <exception cref="StoreException">It cannot be created.</exception>
    public static string CreateDirectory(string path)
    {
        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(path) ? ".ferry" : path);
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, PrivateDirectory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot create the data directory {directory}: {e.Message}", e);
        }
        return directory;
    }

    /// <summary>Creates an empty file 0600 when it does not exist, and makes an existing one 0600.</summary>
    public static void CreatePrivateFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = PrivateFile }))
            {
            }
            File.SetUnixFileMode(path, PrivateFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot make {path} readable by this user only: {e.Message}", e);
        }
    }

    /// <summary>Makes the file 0600 if it exists (one Ferry created before it did so).</summary>
    public static void MakePrivate(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, PrivateFile);
        }
    }
}
