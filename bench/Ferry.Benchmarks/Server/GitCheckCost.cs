using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.Git;

namespace Ferry.Benchmarks.Server;

/// <summary>
/// What the reaction spends in git: the built-in git type's check run in this process after a new commit (ls-remote
/// for the branch's head, fetch into its bare cache, merge-base, rev-list, log with the tags: five git processes), its
/// fetch alone, and a check that finds nothing new (the ls-remote alone).
/// </summary>
internal static class GitCheckCost
{
    /// <summary>Per round: (whole check ms, one `git fetch` ms) after a new commit, and a check with nothing new.</summary>
    public static async Task<List<(double CheckMs, double FetchMs, double UnchangedMs)>> MeasureAsync(BenchRepository repo, int rounds)
    {
        var workRoot = Directory.CreateTempSubdirectory("ferry-bench-check-").FullName;
        var fetchCache = Path.Combine(workRoot, "fetch-only.git");
        try
        {
            var type = new GitResourceType(new Ferry.Engine.Processes.ProcessRunner());
            var call = new ResourceCall(TextWriter.Null, new Dictionary<string, string>(), workRoot);
            var source = new JsonObject { ["uri"] = repo.Uri, ["branch"] = "main" };
            await Commands.GitAsync(workRoot, "init", "-q", "--bare", fetchCache);
            ResourceVersion? latest = (await type.CheckAsync(call, source, null, CancellationToken.None))[^1];
            await FetchAsync(repo, fetchCache);
            var results = new List<(double, double, double)>();
            for (var i = 0; i < rounds; i++)
            {
                var commit = await repo.CommitAsync();
                var clock = Stopwatch.StartNew();
                var versions = await type.CheckAsync(call, source, latest, CancellationToken.None);
                var checkMs = clock.Elapsed.TotalMilliseconds;
                latest = versions[^1];
                if (latest.Version["ref"] != commit)
                    throw new InvalidOperationException($"git check found {latest.Version["ref"]}, not the new commit {commit}");
                clock.Restart();
                await FetchAsync(repo, fetchCache);
                var fetchMs = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                if ((await type.CheckAsync(call, source, latest, CancellationToken.None)).Count != 1)
                    throw new InvalidOperationException("a check with nothing new found new versions");
                results.Add((checkMs, fetchMs, clock.Elapsed.TotalMilliseconds));
            }
            return results;
        }
        finally
        {
            Directory.Delete(workRoot, recursive: true);
        }
    }

    private static Task<string> FetchAsync(BenchRepository repo, string cache) =>
        Commands.GitAsync(cache, "fetch", "-q", "--prune", "--force", repo.Uri, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*");
}
