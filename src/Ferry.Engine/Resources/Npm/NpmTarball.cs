using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// An npm package tarball: a gzipped tar whose entries sit under one top directory (<c>package/</c>). Unpacking strips
/// that directory, as npm does, keeps files and directories only (npm drops links and devices too) and refuses any
/// entry that would land outside the destination. Packing writes what <c>npm pack</c> writes for a directory: every
/// file under <c>package/</c> with npm's fixed time, except <c>.git</c> and <c>node_modules</c>.
/// </summary>
internal static class NpmTarball
{
    // npm stamps every entry with this time so that the same files give the same tarball.
    private static readonly DateTimeOffset NpmTime = new(1985, 10, 26, 8, 15, 0, TimeSpan.Zero);

    private static readonly UnixFileMode File644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static readonly UnixFileMode Exec755 = File644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <returns>How many entries were skipped (links, devices).</returns>
    public static async Task<int> UnpackAsync(string tarball, string destination, string what, CancellationToken cancellation)
    {
        await using var file = File.OpenRead(tarball);
        var magic = new byte[4];
        var read = await file.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellation);
        if (read < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
            throw ResourceException.Terminal($"{what}: the tarball is not gzip (it starts with {(read == 0 ? "nothing: it is empty" : Convert.ToHexString(magic, 0, read))})");
        file.Position = 0;
        var root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        var skipped = 0;
        try
        {
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var reader = new TarReader(gzip);
            while (await reader.GetNextEntryAsync(copyData: false, cancellation) is { } entry)
            {
                var relative = Relative(entry.Name);
                if (relative is null)
                    continue;
                var target = Path.GetFullPath(Path.Combine(root, relative));
                if (relative.Split('/').Contains("..") || !target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw ResourceException.Terminal($"{what}: the tarball's entry '{entry.Name}' escapes the package directory; refused");
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(target);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        await using (var output = File.Create(target))
                        {
                            if (entry.DataStream is { } data)
                                await data.CopyToAsync(output, cancellation);
                        }
                        // npm's modes: executable or not, never setuid or world-writable whatever the tarball says.
                        if (!OperatingSystem.IsWindows())
                            File.SetUnixFileMode(target, (entry.Mode & UnixFileMode.UserExecute) != 0 ? Exec755 : File644);
                        break;
                    default:
                        skipped++;
                        break;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw ResourceException.Terminal($"{what}: the tarball is not a valid gzipped tar: {e.Message}", e);
        }
        return skipped;
    }

    /// <summary>The gzipped tar of <paramref name="directory"/>, with <paramref name="packageJson"/> as its package.json.</summary>
    public static async Task<byte[]> PackAsync(string directory, JsonObject packageJson, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        await using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            var manifest = Encoding.UTF8.GetBytes(packageJson.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            await WriteFileAsync(writer, "package/package.json", new MemoryStream(manifest), File644, cancellation);
            foreach (var file in Files(directory))
            {
                var relative = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
                if (relative == "package.json")
                    continue;
                var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
                await using var content = File.OpenRead(file);
                await WriteFileAsync(writer, "package/" + relative, content, executable ? Exec755 : File644, cancellation);
            }
        }
        return buffer.ToArray();
    }

    // Regular files only (links are not followed: a link could point anywhere on the worker), sorted for a stable tarball.
    private static IEnumerable<string> Files(string directory)
    {
        var pending = new Stack<string>([directory]);
        var files = new List<string>();
        while (pending.TryPop(out var current))
        {
            foreach (var entry in new DirectoryInfo(current).EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                    continue;
                if (entry is DirectoryInfo sub)
                {
                    if (sub.Name is not (".git" or "node_modules"))
                        pending.Push(sub.FullName);
                }
                else
                {
                    files.Add(entry.FullName);
                }
            }
        }
        return files.Order(StringComparer.Ordinal);
    }

    private static async Task WriteFileAsync(TarWriter writer, string name, Stream content, UnixFileMode mode, CancellationToken cancellation)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { ModificationTime = NpmTime, Mode = mode, DataStream = content };
        await writer.WriteEntryAsync(entry, cancellation);
    }

    // npm strips the tarball's first path component, whatever its name (most say package/, some older ones do not).
    private static string? Relative(string name)
    {
        var parts = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (name.StartsWith('/') || parts.Length > 0 && parts[0].Contains(':'))
            return string.Join('/', parts.Prepend(".."));   // absolute: refused by the caller
        return parts.Length <= 1 ? null : string.Join('/', parts.Skip(1));
    }
}
