using System.Formats.Tar;
using System.IO.Compression;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

/// <summary>Layers written here with .NET's tar writer, for the cases a registry image rarely shows but a hostile one may.</summary>
public sealed class RootfsUnpackerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-unpack-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Rootfs => Path.Combine(_root, "rootfs");

    private string Layer(params TarEntry[] entries)
    {
        var path = Path.Combine(_root, $"layer-{Guid.NewGuid():N}.tar.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
                tar.WriteEntry(entry);
        }
        return path;
    }

    private static PaxTarEntry File_(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = (UnixFileMode)0b110_100_100 };

    private static PaxTarEntry Directory_(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101) => new(TarEntryType.Directory, name) { Mode = mode };

    private static PaxTarEntry Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    private async Task UnpackAsync(params string[] layers)
    {
        var unpacker = new RootfsUnpacker(Rootfs);
        foreach (var layer in layers)
            await unpacker.ApplyAsync(layer, "sha256:test", CancellationToken.None);
        unpacker.Finish();
    }

    [Fact]
    public async Task ApplyAsync_EmptiesDirectoryOfLowerLayers_WhenLayerHasOpaqueWhiteout()
    {
        var lower = Layer(Directory_("app/"), File_("app/old", "old"), File_("app/keep-not", "x"), File_("other", "stays"));
        var upper = Layer(Directory_("app/"), File_("app/.wh..wh..opq", ""), File_("app/new", "new"));

        await UnpackAsync(lower, upper);

        Directory.EnumerateFileSystemEntries(Path.Combine(Rootfs, "app")).Select(Path.GetFileName).ShouldBe(["new"]);
        File.ReadAllText(Path.Combine(Rootfs, "other")).ShouldBe("stays");
    }

    [Fact]
    public async Task ApplyAsync_KeepsEntriesInsideTheRootfs_WhenASymlinkPointsOutside()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        var layer = Layer(Symlink("etc", outside), File_("etc/passwd", "inside"), Symlink("up", "../../.."), File_("up/escaped", "inside too"));

        await UnpackAsync(layer);

        Directory.EnumerateFileSystemEntries(outside).ShouldBeEmpty();
        File.ReadAllText(Path.Combine(Rootfs, outside.TrimStart('/'), "passwd")).ShouldBe("inside");
        File.ReadAllText(Path.Combine(Rootfs, "escaped")).ShouldBe("inside too");
        new FileInfo(Path.Combine(Rootfs, "etc")).LinkTarget.ShouldBe(outside);
    }

    [Fact]
    public async Task ApplyAsync_StopsDotDotAtTheRoot_WhenEntryNameClimbsOut()
    {
        await UnpackAsync(Layer(File_("../../evil", "contained")));

        File.Exists(Path.Combine(_root, "evil")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(Rootfs, "evil")).ShouldBe("contained");
    }

    [Fact]
    public async Task ApplyAsync_LinksTheSameFile_WhenLayerHasAHardLink()
    {
        await UnpackAsync(Layer(File_("bin/tool", "binary"), new PaxTarEntry(TarEntryType.HardLink, "bin/alias") { LinkName = "bin/tool" }));

        File.AppendAllText(Path.Combine(Rootfs, "bin", "alias"), "+");
        File.ReadAllText(Path.Combine(Rootfs, "bin", "tool")).ShouldBe("binary+");
    }

    [Fact]
    public async Task Finish_SetsReadOnlyDirectoryModesLast_WhenALaterLayerWritesIntoThem()
    {
        var readOnly = (UnixFileMode)0b101_101_101;
        await UnpackAsync(Layer(Directory_("locked/", readOnly)), Layer(File_("locked/later", "written")));

        File.ReadAllText(Path.Combine(Rootfs, "locked", "later")).ShouldBe("written");
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(Path.Combine(Rootfs, "locked")).ShouldBe(readOnly);
    }

    /// <summary>The layer as umoci insert writes it: the entries without the two zero blocks that end a tar, gzipped.</summary>
    private string WithoutEndBlocks(string layer, int cut = 1024)
    {
        using var tar = new MemoryStream();
        using (var gzip = new GZipStream(File.OpenRead(layer), CompressionMode.Decompress))
            gzip.CopyTo(tar);
        var bytes = tar.ToArray();
        // .NET's writer ends with exactly two zero blocks, so cutting 1024 bytes leaves every entry whole.
        var path = Path.Combine(_root, $"cut-{Guid.NewGuid():N}.tar.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            gzip.Write(bytes, 0, bytes.Length - cut);
        return path;
    }

    [Fact]
    public async Task ApplyAsync_UnpacksEveryEntry_WhenLayerEndsWithoutZeroBlocks()
    {
        await UnpackAsync(WithoutEndBlocks(Layer(Directory_("etc/"), File_("etc/release", "general-task 1"), Directory_("tmp/"))));

        File.ReadAllText(Path.Combine(Rootfs, "etc", "release")).ShouldBe("general-task 1");
        Directory.Exists(Path.Combine(Rootfs, "tmp")).ShouldBeTrue();
    }

    [Fact]
    public async Task ApplyAsync_UnpacksTheLastFileWhole_WhenLayerEndsWithoutItsPadding()
    {
        // What umoci insert writes: the last file's 2000 bytes, then nothing (no padding to 2048, no zero blocks).
        await UnpackAsync(WithoutEndBlocks(Layer(Directory_("usr/"), File_("usr/node", new string('x', 2000))), cut: 1024 + 48));

        File.ReadAllText(Path.Combine(Rootfs, "usr", "node")).ShouldBe(new string('x', 2000));
    }

    [Fact]
    public async Task ApplyAsync_RefusesTheLayer_WhenItEndsInsideAnEntry()
    {
        // 1024 bytes of zeros, then 512 of the last file's data: the file is cut short.
        var layer = WithoutEndBlocks(Layer(File_("big", new string('x', 2000))), cut: 1024 + 512);

        var error = await Should.ThrowAsync<ResourceException>(() => UnpackAsync(layer));

        error.Message.ShouldStartWith("registry-image: layer sha256:test is not a valid tar archive:");
    }

    [Fact]
    public async Task ApplyAsync_RefusesNamingTheLayer_WhenLayerIsZstd()
    {
        var path = Path.Combine(_root, "layer.zst");
        File.WriteAllBytes(path, [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);

        var error = await Should.ThrowAsync<ResourceException>(() => new RootfsUnpacker(Rootfs).ApplyAsync(path, "sha256:abc", CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldBe("registry-image: layer sha256:abc is zstd-compressed, which Ferry cannot unpack yet; push the image with gzip layers");
    }
}
