using Ferry.Engine.Containers;
using Ferry.Engine.Processes;
using Ferry.Tests.Containers;

namespace Ferry.Engine.Tests.Containers;

/// <summary>What a dead server's sentinel could not remove, the next start does.</summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerRecordTests(ContainerImages images) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-container-records-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [ContainerFact]
    public async Task ReapLeftovers_RemovesRecordedContainers_OfAServerThatIsGone_AndLeavesALiveServersAlone()
    {
        var records = Path.Combine(_root, "containers");
        Directory.CreateDirectory(records);
        var dead = $"ferry-test-dead-{Guid.NewGuid():N}";
        var alive = $"ferry-test-alive-{Guid.NewGuid():N}";
        await ContainerTools.RunAsync("podman", "pull", "--quiet", "--tls-verify=false", $"{images.Busybox}:1");
        foreach (var name in new[] { dead, alive })
            await ContainerTools.RunAsync("podman", "create", "--name", name, "--label", $"io.ferry.data={_root}", $"{images.Busybox}:1", "sleep", "300");
        // pid 1 never started at tick 0: a server that is gone. This test process is one that runs.
        await File.WriteAllTextAsync(Path.Combine(records, dead), "1:0\n");
        await File.WriteAllTextAsync(Path.Combine(records, alive), $"{LinuxProcesses.Self}\n");
        try
        {
            var removed = await ContainerRuntime.ReapLeftoversAsync(new ProcessRunner(), records, CancellationToken.None);

            removed.ShouldBe(1);
            (await ContainerTools.FerryContainersAsync(_root)).ShouldBe([alive]);
            Directory.GetFiles(records).Select(Path.GetFileName).ShouldBe([alive]);
        }
        finally
        {
            await ContainerTools.RunAsync("podman", "rm", "--force", "--ignore", dead, alive);
        }
    }
}
