namespace Ferry.Storage;

/// <summary>
/// One server per SQLite data directory: an exclusive OS lock on <c>server.lock</c> in it, held for the server's life
/// and released by the OS when the process ends, however it ends. A second server on the same directory would mark
/// the first one's running builds as abandoned and race it for the same file; it stops with a message instead.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "server.lock";
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <exception cref="StoreException">Another process holds the lock (or the file cannot be opened).</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var directory = DataFiles.CreateDirectory(dataDirectory);
        var path = Path.Combine(directory, FileName);
        FileStream file;
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix and a share lock on Windows.
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            file = new FileStream(path, options);
        }
        catch (IOException e)
        {
            throw new StoreException(
                $"another Ferry server is already running on the data directory {directory} (it holds {path}); " +
                "stop it first, or give this server its own --data directory", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StoreException($"cannot lock the data directory {directory}: {e.Message}", e);
        }
        // Who holds it, for someone looking at the file; the lock itself is the open handle, not this text.
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true))
        {
            writer.Write($"pid {Environment.ProcessId} since {DateTimeOffset.UtcNow:O}\n");
        }
        file.Flush();
        return new DataDirectoryLock(file);
    }

    public void Dispose() => _file.Dispose();
}
