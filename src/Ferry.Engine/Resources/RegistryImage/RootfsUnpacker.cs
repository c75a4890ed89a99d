using System.Formats.Tar;
using System.IO.Compression;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// Unpacks image layers, lowest first, into a rootfs directory as a container engine would: a <c>.wh.NAME</c> entry
/// deletes NAME from the layers below, <c>.wh..wh..opq</c> empties its directory of what the layers below put there.
/// Entries are confined to the rootfs: <c>..</c> stops at its top and a symlink in a path resolves inside it (an image's
/// <c>/etc -&gt; /tmp</c> never reaches the host's <c>/tmp</c>). Owners are kept when the server runs as root; device
/// nodes are skipped (a container gets its own <c>/dev</c>). Directory modes are set last, so a read-only directory of
/// one layer does not stop the next layer from writing into it.
/// </summary>
internal sealed class RootfsUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";
    private const int MaxSymlinks = 40;

    private readonly string _root;
    private readonly Dictionary<string, (UnixFileMode Mode, DateTimeOffset Modified)> _directories = new(StringComparer.Ordinal);
    private int _skipped;

    public RootfsUnpacker(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <summary>Entries skipped: device nodes and FIFOs.</summary>
    public int Skipped => _skipped;

    public async Task ApplyAsync(string blob, string digest, CancellationToken cancellation)
    {
        await using var file = File.OpenRead(blob);
        await using var stream = await DecompressAsync(file, digest, cancellation);
        await using var counted = new CountingReadStream(stream);
        await using var reader = new TarReader(counted, leaveOpen: true);
        var written = new HashSet<string>(StringComparer.Ordinal);
        long nextHeader = 0, dataEnd = 0;
        try
        {
            while (true)
            {
                TarEntry? entry;
                try
                {
                    entry = await reader.GetNextEntryAsync(copyData: false, cancellation);
                }
                catch (EndOfStreamException) when (counted.Ended && counted.BytesRead >= dataEnd && counted.BytesRead <= nextHeader)
                {
                    // The layer ends after the last entry's whole data, without the two zero blocks and maybe without
                    // the data's padding to 512 bytes: umoci insert never closes its tar writer, so its layers end
                    // so (the padding goes only when the last file's size is no multiple of 512), and podman reads them.
                    break;
                }
                if (entry is null)
                    break;
                dataEnd = counted.BytesRead + entry.Length;
                nextHeader = counted.BytesRead + (entry.Length + 511) / 512 * 512;
                await ApplyAsync(entry, written, cancellation);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw ResourceException.Terminal($"registry-image: layer {digest} is not a valid tar archive: {e.Message}", e);
        }
    }

    /// <summary>Sets the directories' modes and times, deepest first, once every layer is in.</summary>
    public void Finish()
    {
        foreach (var (path, (mode, modified)) in _directories.OrderByDescending(d => d.Key.Length))
        {
            if (!Directory.Exists(path) || new DirectoryInfo(path).LinkTarget is not null)
                continue;
            SetMode(path, mode);
            Directory.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        }
    }

    private async Task ApplyAsync(TarEntry entry, HashSet<string> written, CancellationToken cancellation)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            return;
        var parts = Clean(entry.Name);
        if (parts.Count == 0)
            return;
        var name = parts[^1];
        var parent = Resolve(parts.Take(parts.Count - 1), create: !name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal));
        if (name == OpaqueWhiteout)
        {
            if (parent is not null && Directory.Exists(parent))
            {
                foreach (var child in Directory.EnumerateFileSystemEntries(parent).ToList())
                {
                    if (!written.Contains(child))
                        Remove(child);
                }
            }
            return;
        }
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            if (parent is not null)
                Remove(Path.Combine(parent, name[WhiteoutPrefix.Length..]));
            return;
        }

        var target = Path.Combine(parent!, name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!IsRealDirectory(target))
                {
                    Remove(target);
                    Directory.CreateDirectory(target);
                }
                _directories[target] = (entry.Mode, entry.ModificationTime);
                Own(target, entry);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Remove(target);
                await entry.ExtractToFileAsync(target, overwrite: false, cancellation);
                Own(target, entry);
                SetMode(target, entry.Mode);
                break;
            case TarEntryType.SymbolicLink:
                Remove(target);
                File.CreateSymbolicLink(target, entry.LinkName);
                Own(target, entry);
                break;
            case TarEntryType.HardLink:
                var linkParts = Clean(entry.LinkName);
                var existing = linkParts.Count == 0 ? null : Path.Combine(Resolve(linkParts.Take(linkParts.Count - 1), create: false) ?? _root, linkParts[^1]);
                if (existing is null || !File.Exists(existing))
                    throw ResourceException.Terminal($"registry-image: layer entry {entry.Name} hard-links to {entry.LinkName}, which is not in the image");
                Remove(target);
                NativeFiles.HardLink(existing, target);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                _skipped++;
                return;
            default:
                throw ResourceException.Terminal($"registry-image: layer entry {entry.Name} is a {entry.EntryType}, which Ferry cannot unpack");
        }
        written.Add(target);
    }

    // After chown, which clears setuid and setgid.
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
    }

    private static void Own(string path, TarEntry entry)
    {
        if (NativeFiles.CanChown)
            NativeFiles.Chown(path, entry.Uid, entry.Gid);
    }

    /// <summary>An entry name as path components, <c>..</c> resolved lexically and never above the root.</summary>
    private static List<string> Clean(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return parts;
    }

    /// <summary>
    /// The directory the components name inside the root, following symlinks as if the root were <c>/</c>; missing
    /// directories are created when <paramref name="create"/>, else the result is null.
    /// </summary>
    private string? Resolve(IEnumerable<string> components, bool create)
    {
        var pending = new LinkedList<string>(components);
        var resolved = new List<string>();
        var links = 0;
        while (pending.First is { } first)
        {
            var part = first.Value;
            pending.RemoveFirst();
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = Path.Combine(_root, Path.Combine([.. resolved, part]));
            if (new FileInfo(candidate).LinkTarget is { } link)
            {
                if (++links > MaxSymlinks)
                    throw ResourceException.Terminal($"registry-image: too many symlinks resolving {candidate[_root.Length..]} in the image");
                if (link.StartsWith('/'))
                    resolved.Clear();
                foreach (var linkPart in link.Split('/').Reverse())
                    pending.AddFirst(linkPart);
                continue;
            }
            if (!Directory.Exists(candidate))
            {
                if (!create)
                    return null;
                if (File.Exists(candidate))
                    File.Delete(candidate);
                Directory.CreateDirectory(candidate);
            }
            resolved.Add(part);
        }
        return resolved.Count == 0 ? _root : Path.Combine(_root, Path.Combine([.. resolved]));
    }

    private static bool IsRealDirectory(string path) => Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null;

    /// <summary>Removes a file, a symlink (not what it points at) or a directory tree.</summary>
    private static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path))
            File.Delete(path);
        else if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }

    /// <summary>gzip and plain tar by their first bytes, whatever the media type says; zstd is refused by name.</summary>
    private static async Task<Stream> DecompressAsync(FileStream file, string digest, CancellationToken cancellation)
    {
        var magic = new byte[4];
        var read = await file.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellation);
        file.Position = 0;
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        if (read == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
            throw ResourceException.Terminal($"registry-image: layer {digest} is zstd-compressed, which Ferry cannot unpack yet; push the image with gzip layers");
        return file;
    }
}
