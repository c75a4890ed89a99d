using System.Globalization;
using System.Text;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Tests.Processes;

/// <summary>A child's output read without a thread per pipe (<see cref="ChildPipe"/>, <see cref="ChildIo"/>): every byte, by either kind of read, and a close under a waiting reader.</summary>
public sealed class ChildPipeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-child-pipe-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ProcessSpec Sh(string script) => new("sh", ["-c", script], _root, ProcessEnvironment.Inherited());

    [Fact]
    public async Task RunAsync_ReadsEveryByteOfBothStreams_OfManyProcessesPrintingAtOnce()
    {
        var expected = string.Concat(Enumerable.Range(1, 60_000).Select(i => $"{i}\n"));
        var runner = new ProcessRunner();

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            var status = await runner.RunAsync(Sh("seq 1 60000; seq 1 60000 >&2"), new ProcessOutput(s => Collect(s, stdout), s => Collect(s, stderr)), CancellationToken.None);
            return (status, Stdout: stdout.ToString(), Stderr: stderr.ToString());
        }));

        foreach (var run in runs)
        {
            run.status.ShouldBe(0);
            run.Stdout.ShouldBe(expected);
            run.Stderr.ShouldBe(expected);
        }
    }

    [Fact]
    public async Task RunAsync_ServesABlockingRead_ThatWaitsForOutputStillToCome()
    {
        string? text = null;
        var output = new ProcessOutput(s => Task.Run(() => { using var reader = new StreamReader(s); text = reader.ReadToEnd(); }), s => s.CopyToAsync(Stream.Null));

        var status = await new ProcessRunner().RunAsync(Sh("echo early; sleep 0.3; echo late"), output, CancellationToken.None);

        status.ShouldBe(0);
        text.ShouldBe("early\nlate\n");
    }

    [Fact]
    public async Task RunAsync_StopsReadingAfterTheDrainTimeout_WhenAProcessThatLeftTheGroupHoldsThePipes()
    {
        // setsid puts sleep in a session of its own: killing the task's group misses it, and it holds stdout open.
        var spec = Sh("setsid sleep 60 & echo $!") with { DrainTimeout = TimeSpan.FromMilliseconds(200) };
        var stdout = new StringBuilder();
        Task? reading = null;
        var run = new ProcessRunner().RunAsync(spec, new ProcessOutput(s => reading = Collect(s, stdout), s => s.CopyToAsync(Stream.Null)), CancellationToken.None);

        (await run.WaitAsync(TimeSpan.FromSeconds(20))).ShouldBe(0);
        // The reader waiting on the pipe was ended by the close, not left behind.
        (await Task.WhenAny(reading!, Task.Delay(TimeSpan.FromSeconds(5)))).ShouldBe(reading);
        reading!.Exception?.InnerException.ShouldBeOfType<ObjectDisposedException>();
        var sleep = int.Parse(stdout.ToString().Trim(), CultureInfo.InvariantCulture);
        try
        {
            File.Exists($"/proc/{sleep}/stat").ShouldBeTrue();
        }
        finally
        {
            ProcessGroup.Kill(sleep);
        }
        await Running.Processes.ShouldBeGoneAsync(sleep);
    }

    private static async Task Collect(Stream stream, StringBuilder into)
    {
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            into.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}
