using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Running;

namespace Ferry.Engine.Tests.Running;

public sealed class LogTests : IDisposable
{
    private readonly RunnerHarness h = new();

    public void Dispose() => h.Dispose();

    [Theory]
    [InlineData("yes | head -c 536870912")]
    [InlineData("head -c 268435456 /dev/zero | tr '\\0' 'a'")] // one line with no end
    public async Task RunAsync_CapsLogAndRunsTaskToTheEnd_WhenTaskPrintsHugeOutput(string producer)
    {
        h.Options = new RunnerOptions { LogCapBytes = 2 * 1024 * 1024 };
        var done = Path.Combine(h.Scratch, "done");
        var task = h.Sh("flood", $"{producer}; echo finished > {done}");
        var clock = Stopwatch.StartNew();

        var result = await h.RunAsync(task);

        result.Status.ShouldBe(BuildStatus.Succeeded);
        // A hang guard, not a speed target (bench/ measures log ingest): the task must not block on a full pipe.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(120));
        File.Exists(done).ShouldBeTrue();
        var logs = h.Sink.Events.Where(e => e.Type == BuildEventType.Log).ToList();
        logs[^1].Text.ShouldBe("log truncated after 2097152 bytes\n");
        logs.Sum(e => (long)e.Text!.Length).ShouldBeLessThanOrEqualTo(2 * 1024 * 1024 + 64);
        logs.ShouldAllBe(e => e.Text!.EndsWith('\n'));
    }

    [Fact]
    public async Task RunAsync_RedactsSecrets_WhenSplitAcrossWrites()
    {
        h.Secrets.Add("s3cr3t-value");
        var task = h.Sh("leak", "printf 'a s3cr3t'; sleep 0.3; printf -- '-value b\\n'; echo $TOKEN >&2", @params: new JsonObject { ["TOKEN"] = "s3cr3t-value" });

        await h.RunAsync(task);

        var log = h.Sink.Log(task.Id);
        log.ShouldContain("a ((redacted)) b\n");
        log.ShouldContain("((redacted))\n");
        log.ShouldNotContain("s3cr3t");
    }

    [Fact]
    public async Task RunAsync_RedactsTheBase64AndHexFormsOfSecrets_WhenATaskEncodesThem()
    {
        const string secret = "tr0ub4dor&3-horse?>";
        h.Secrets.Add(secret);
        var task = h.Sh("encode", """
            printf '%s' "$TOKEN" | base64 -w0; echo
            printf '%s' "$TOKEN" | base64 -w0 | tr '+/' '-_' | tr -d '='; echo
            printf 'user:%s' "$TOKEN" | base64 -w0; echo
            printf 'ab%s:tail' "$TOKEN" | base64 -w0; echo
            printf 'a%s' "$TOKEN" | base64 -w0 | tr '+/' '-_'; echo
            printf '%s' "$TOKEN" | od -An -tx1 | tr -d ' \n'; echo
            printf '%s' "$TOKEN" | od -An -tx1 | tr -d ' \n' | tr a-f A-F; echo
            """, @params: new JsonObject { ["TOKEN"] = secret });

        await h.RunAsync(task);

        var lines = h.Sink.Log(task.Id).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(7);
        lines.ShouldAllBe(line => line.Contains(Redactor.Mask));
        string[] forms =
        [
            Base64(secret), Base64(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_'), Base64("user:" + secret), Base64("ab" + secret + ":tail"),
            Base64("a" + secret).Replace('+', '-').Replace('/', '_'), Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(secret)),
            Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(secret)),
        ];
        foreach (var (line, form) in lines.Zip(forms))
        {
            line.ShouldNotBe(form);
            // What is left around the mask is at most the few characters that mix the value with its neighbours.
            line.Replace(Redactor.Mask, "", StringComparison.Ordinal).Length.ShouldBeLessThan(form.Length / 2, line);
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task RunAsync_KeepsALongLineWhole_AndCutsOneOverTheLineLimitAtTheLimit()
    {
        // 300 KiB grows the pipe's buffer past its first size; 2.5 MiB is over the 1 MiB line limit.
        var task = h.Sh("long", "head -c 307200 /dev/zero | tr '\\0' a; echo; echo short; head -c 2621440 /dev/zero | tr '\\0' b; echo; echo end");

        var result = await h.RunAsync(task);

        result.Status.ShouldBe(BuildStatus.Succeeded);
        var lines = h.Sink.Log(task.Id).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe(new string('a', 307200));
        lines[1].ShouldBe("short");
        lines[^1].ShouldBe("end");
        var cut = lines[2..^1];
        cut.Length.ShouldBeGreaterThan(2, "a 2.5 MiB line is sent in pieces of at most the limit");
        cut.ShouldAllBe(piece => piece.Length <= 1024 * 1024 + 64 * 1024 && piece.All(c => c == 'b'));
        cut.Sum(piece => piece.Length).ShouldBe(2621440);
    }

    [Fact]
    public async Task RunAsync_SendsLinesAsTheyComeAndKeepsOrder_WhenTaskWritesSlowly()
    {
        var task = h.Sh("slow", "for i in 1 2 3; do echo line$i; sleep 0.1; done; printf 'no newline'");

        await h.RunAsync(task);

        h.Sink.Events.Count(e => e.Type == BuildEventType.Log).ShouldBeGreaterThanOrEqualTo(3);
        h.Sink.Log(task.Id).ShouldBe("line1\nline2\nline3\nno newline\n");
    }

    [Fact]
    public async Task LoadVar_RedactsValueAndFeedsLaterSteps_WhenNotRevealed()
    {
        var make = h.Sh("make", "echo '{\"user\":\"admin\",\"pass\":\"hunter2-xyz\"}' > out/creds.json; echo 1.2.3 > out/version", outputs: ["out"]);
        var creds = new LoadVarPlan { Id = h.NextId(), Name = "creds", File = "out/creds.json" };
        var version = new LoadVarPlan { Id = h.NextId(), Name = "version", File = "out/version", Reveal = true };
        var use = h.Sh("use", "echo $U $P $V", @params: new JsonObject { ["U"] = "((.:creds.user))", ["P"] = "((.:creds.pass))", ["V"] = "v((.:version))" });

        var result = await h.RunAsync(h.Do(make, creds, version, use));

        result.Status.ShouldBe(BuildStatus.Succeeded);
        h.Sink.Log(use.Id).ShouldBe("((redacted)) ((redacted)) v1.2.3\n");
    }

    [Fact]
    public async Task LoadVar_Errors_WhenFileIsNotValidJson()
    {
        var make = h.Sh("make", "echo '{oops' > out/x.json", outputs: ["out"]);

        var result = await h.RunAsync(h.Do(make, new LoadVarPlan { Id = "l", Name = "x", File = "out/x.json" }));

        result.Status.ShouldBe(BuildStatus.Errored);
        h.Sink.Texts(BuildEventType.Error).Single().ShouldStartWith("load_var 'x': file 'out/x.json' is not valid json");
    }
}
