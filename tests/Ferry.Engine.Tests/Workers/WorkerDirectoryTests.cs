using Ferry.Engine.Workers;

namespace Ferry.Engine.Tests.Workers;

public sealed class WorkerDirectoryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ferry-worker-dir-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Open_Fails_WhenAnotherWorkerUsesTheDirectory()
    {
        using var first = WorkerDirectory.Open(root);

        var refused = Should.Throw<IOException>(() => WorkerDirectory.Open(root));

        refused.Message.ShouldContain("another ferry worker uses the work directory");
    }

    [Fact]
    public void Open_RemovesTheBuildDirectoriesADeadWorkerLeft()
    {
        using (var dead = WorkerDirectory.Open(root))
        {
            Directory.CreateDirectory(Path.Combine(dead.Directories.Build(41), "steps"));
            Directory.CreateDirectory(dead.Directories.Build(42));
            File.WriteAllText(Path.Combine(dead.Directories.ResourceCache, "kept"), "a clone");
        }

        using var next = WorkerDirectory.Open(root);

        next.RemovedBuilds.ShouldBe(2);
        Directory.EnumerateDirectories(next.Directories.Builds).ShouldBeEmpty();
        File.Exists(Path.Combine(next.Directories.ResourceCache, "kept")).ShouldBeTrue("resource caches outlive a worker");
    }
}
