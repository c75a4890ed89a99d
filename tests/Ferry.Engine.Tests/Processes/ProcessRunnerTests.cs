using System.Diagnostics;
using System.Globalization;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Tests.Processes;

public sealed class ProcessRunnerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-processes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ProcessSpec Sh(string script, IReadOnlyDictionary<string, string>? environment = null) =>
        new("sh", ["-c", script], _root, environment ?? ProcessEnvironment.Inherited());

    [Fact]
    public async Task RunAsync_LetsTheProcessRun_WhenTheThreadThatStartedItEnds()
    {
        // The kernel's parent-death signal follows the thread that forked: a child forked on a short-lived thread would die with it.
        var runner = new ProcessRunner();
        Task<CapturedRun>? run = null;
        var thread = new Thread(() => run = runner.CaptureAsync(Sh("sleep 1; exit 7"), null, 100, CancellationToken.None));
        thread.Start();
        thread.Join();

        (await run!).ExitCode.ShouldBe(7);
    }

    [Fact]
    public async Task RunAsync_GivesTheProcessOnlyItsSpecsEnvironment()
    {
        var environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["ONLY"] = "this" };

        var result = await new ProcessRunner().CaptureAsync(Sh("env | cut -d= -f1 | sort", environment), null, 10_000, CancellationToken.None);

        // sh itself adds PWD.
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => n != "PWD").ShouldBe(["ONLY", "PATH"]);
    }

    [Fact]
    public async Task RunAsync_KillsWhatTheProcessLeftRunning_WhenItExits()
    {
        var result = await new ProcessRunner().CaptureAsync(Sh("sleep 300 & echo $!"), null, 100, CancellationToken.None);

        result.ExitCode.ShouldBe(0);
        await Running.Processes.ShouldBeGoneAsync(int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void RecordAdd_RecordsEveryGroup_WhenSeveralStartAtOnceBeforeTheRecordDirectoryExists()
    {
        // A node's first builds start together: each finds the record directory missing, and while one creates it,
        // another's failed write was reported as a missing file, not a missing directory, and its task errored
        // (bench/README.md, nodes-load: "Could not find file .../work/processes/PID"). One add in a few hundred raced.
        var failures = new List<string>();
        var recorded = 0;
        for (var round = 0; round < 300; round++)
        {
            var directory = Path.Combine(_root, $"round-{round}", "work", "processes");
            var record = new ProcessGroupRecord(directory);
            using var start = new Barrier(8);
            var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    record.Add(900_000 + i);
                }
                catch (IOException e)
                {
                    lock (failures)
                        failures.Add(e.Message);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            recorded += File.ReadAllLines(Directory.GetFiles(directory).Single()).Count(l => l.StartsWith("+ ", StringComparison.Ordinal));
        }

        failures.ShouldBeEmpty();
        recorded.ShouldBe(300 * 8);
    }

    [Fact]
    public async Task RunAsync_StartsTheProcessAsTheLeaderOfItsOwnSession_WithDefaultSignals()
    {
        // Fields 4-6 of /proc/self/stat after the name: ppid, pgrp, session; SigIgn in status lists ignored signals.
        var result = await new ProcessRunner().CaptureAsync(
            Sh("echo $$ $(cut -d')' -f2 /proc/$$/stat | cut -d' ' -f4,5); grep SigIgn /proc/$$/status | cut -f2"), null, 1000, CancellationToken.None);

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = lines[0].Split(' ');
        ids[1].ShouldBe(ids[0], "its own process group");
        ids[2].ShouldBe(ids[0], "its own session");
        // The server ignores SIGPIPE (bit 13); a task must not inherit that, or `yes | head` would never end.
        (Convert.ToUInt64(lines[1], 16) & (1UL << 12)).ShouldBe(0UL);
    }

    [Fact]
    public async Task RunAsync_EndsWith127AndSaysWhy_WhenTheCommandIsNotFound()
    {
        var spec = new ProcessSpec("no-such-command-here", [], _root, new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" });

        var result = await new ProcessRunner().CaptureAsync(spec, null, 100, CancellationToken.None);

        result.ExitCode.ShouldBe(127);
        result.StderrTail.ShouldContain("no-such-command-here");
    }

    [Fact]
    public async Task RunAsync_RunsAScriptWithoutAnInterpreterLine_WithSh()
    {
        var script = Path.Combine(_root, "plain");
        await File.WriteAllTextAsync(script, "echo from sh; exit 3\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var result = await new ProcessRunner().CaptureAsync(new ProcessSpec("./plain", [], _root, ProcessEnvironment.Inherited()), null, 100, CancellationToken.None);

        result.ExitCode.ShouldBe(3);
        result.Stdout.ShouldBe("from sh\n");
    }

    [Fact]
    public async Task ReapLeftovers_KillsGroupsOfAServerThatIsGone_AndLeavesALiveServersAndOtherBootsAlone()
    {
        var record = Directory.CreateDirectory(Path.Combine(_root, "record")).FullName;
        var goneServer = await GoneProcessAsync();
        var orphan = StartGroup();
        var ended = StartGroup();
        var ofLiveServer = StartGroup();
        var ofOtherBoot = StartGroup();
        try
        {
            // The gone server's record lists a group it saw end: a later process may have that group id by now.
            Record(record, "gone", LinuxProcesses.BootId, goneServer, $"+ {LinuxProcesses.Identity(ended.Id)}", $"+ {LinuxProcesses.Identity(orphan.Id)}", $"- {ended.Id}");
            Record(record, "live", LinuxProcesses.BootId, LinuxProcesses.Self, $"+ {LinuxProcesses.Identity(ofLiveServer.Id)}");
            Record(record, "other-boot", "another-boot", goneServer, $"+ {LinuxProcesses.Identity(ofOtherBoot.Id)}");

            ProcessRunner.ReapLeftovers(record).ShouldBe(1);

            await Running.Processes.ShouldBeGoneAsync(orphan.Id);
            Running.Processes.Alive(ended.Id).ShouldBeTrue();
            Running.Processes.Alive(ofLiveServer.Id).ShouldBeTrue();
            Running.Processes.Alive(ofOtherBoot.Id).ShouldBeTrue();
            Directory.EnumerateFiles(record).Select(Path.GetFileName).ShouldBe(["live"]);
        }
        finally
        {
            foreach (var process in new[] { orphan, ended, ofLiveServer, ofOtherBoot })
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
            }
        }
    }

    [Fact]
    public async Task RunAsync_RecordsTheGroupWhileItRuns_AndItsEndAfter()
    {
        var record = Path.Combine(_root, "runner-record");
        var runner = new ProcessRunner(record);
        var started = Path.Combine(_root, "started");
        (await runner.CaptureAsync(new ProcessSpec("true", [], _root, ProcessEnvironment.Inherited()), null, 100, CancellationToken.None)).ExitCode.ShouldBe(0);
        using var abort = new CancellationTokenSource();
        var running = runner.CaptureAsync(Sh($"echo $$ > {started}; exec sleep 300"), null, 100, abort.Token);
        var leader = await ReadPidAsync(started);

        var lines = File.ReadAllLines(Directory.EnumerateFiles(record).Single());
        lines[0].ShouldBe($"{LinuxProcesses.BootId} {LinuxProcesses.Self}");
        lines.Count(l => l.StartsWith("+ ", StringComparison.Ordinal)).ShouldBe(2);
        lines.Count(l => l.StartsWith("- ", StringComparison.Ordinal)).ShouldBe(1);
        lines.Last().ShouldBe($"+ {LinuxProcesses.Identity(leader)}");

        await abort.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(running);
        File.ReadAllLines(Directory.EnumerateFiles(record).Single()).Last().ShouldBe($"- {leader}");
    }

    private static void Record(string directory, string name, string bootId, string server, params string[] lines) =>
        File.WriteAllLines(Path.Combine(directory, name), [$"{bootId} {server}", .. lines]);

    /// <summary>A process group as a task makes one: setsid's leader with a child of its own.</summary>
    private static Process StartGroup()
    {
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in new[] { "sh", "-c", "sleep 300 & wait" })
        {
            info.ArgumentList.Add(argument);
        }
        return Process.Start(info)!;
    }

    /// <summary>The identity of a process that ran and is gone, as a crashed server's is.</summary>
    private static async Task<string> GoneProcessAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "0.2") { UseShellExecute = false })!;
        var identity = LinuxProcesses.Identity(process.Id)!;
        await process.WaitForExitAsync();
        return identity;
    }

    internal static async Task<int> ReadPidAsync(string file)
    {
        for (var i = 0; i < 100; i++)
        {
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{file} holds no pid");
    }
}
