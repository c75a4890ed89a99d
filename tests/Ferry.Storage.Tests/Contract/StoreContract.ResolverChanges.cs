using Ferry.Core.Builds;
using Ferry.Core.Resolving;
using Ferry.Storage.Builds;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    /// <summary>
    /// The scheduler keeps a snapshot and folds in only what changed since its last read. Over a seeded random history
    /// (checks with new and re-reported versions, disables, builds with inputs, pipes and reruns, outputs, every kind of
    /// ending, the pipeline set again) the kept snapshot must read exactly as one built from all rows, and resolve the
    /// same for latest, every and passed inputs.
    /// </summary>
    [StoreFact]
    public async Task ReadResolver_KeepsASnapshotEqualToAFullRead_OverARandomHistory()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, ["app", "lib", "tool"], ["unit", "integ", "deploy"]);
        var resources = pipeline.Resources.Values.ToArray();
        var jobs = pipeline.Jobs.Keys.ToArray();
        var random = new Random(1414);
        var versions = resources.ToDictionary(r => r, _ => new List<long>());
        var builds = new List<(long Id, string Job)>();
        var running = new List<long>();
        ResolverSnapshot? kept = null;
        ResolverCursor? cursor = null;
        var counter = 0;
        var (fullReads, deltaReads) = (0, 0);
        for (var step = 0; step < 160; step++)
        {
            var resource = resources[random.Next(resources.Length)];
            switch (random.Next(10))
            {
                case 0 or 1:
                    // A check: new versions, sometimes with an old one reported again (it moves up in check order).
                    var reported = Enumerable.Range(0, random.Next(1, 4)).Select(_ => V($"v{++counter}")).ToList();
                    if (versions[resource].Count > 1 && random.Next(3) == 0)
                    {
                        var old = await store.GetVersionAsync(versions[resource][random.Next(versions[resource].Count)]);
                        reported.Insert(0, old!.Version);
                    }
                    foreach (var saved in await store.SaveVersionsAsync(resource, reported))
                    {
                        if (!versions[resource].Contains(saved.Id))
                        {
                            versions[resource].Add(saved.Id);
                        }
                    }
                    break;
                case 2 when versions[resource].Count > 0:
                    await store.SetVersionDisabledAsync(versions[resource][random.Next(versions[resource].Count)], random.Next(2) == 0);
                    break;
                case 3 or 4 or 5 when versions.Values.All(v => v.Count > 0):
                    var job = jobs[random.Next(jobs.Length)];
                    var inputs = pipeline.Resources.Where(_ => random.Next(2) == 0)
                        .Select(r => new NewBuildInput(r.Key, r.Value, versions[r.Value][random.Next(versions[r.Value].Count)], random.Next(2) == 0)).ToList();
                    var pipes = builds.Count == 0 ? [] : Enumerable.Range(0, random.Next(3)).Select(_ => builds[random.Next(builds.Count)].Id).Distinct().ToList();
                    var ofJob = builds.Where(b => b.Job == job).ToList();
                    long? rerunOf = ofJob.Count > 0 && random.Next(5) == 0 ? ofJob[random.Next(ofJob.Count)].Id : null;
                    var build = await store.CreateBuildAsync(JobBuild(pipeline, job, inputs, pipes, rerunOf));
                    builds.Add((build.Id, job));
                    running.Add(build.Id);
                    break;
                case 6 or 7 or 8 when running.Count > 0:
                    var id = running[random.Next(running.Count)];
                    var claimed = await store.ClaimNextBuildAsync("node");
                    if (claimed is not null && random.Next(3) > 0)
                    {
                        // A put: a new version, or one the resource has (which moves up unless it is the newest).
                        var put = versions[resource].Count > 0 && random.Next(2) == 0
                            ? (await store.GetVersionAsync(versions[resource][random.Next(versions[resource].Count)]))!.Version
                            : V($"out{++counter}");
                        var output = await store.SaveBuildOutputAsync(claimed.Id, resource, put);
                        if (!versions[resource].Contains(output.Id))
                        {
                            versions[resource].Add(output.Id);
                        }
                    }
                    var current = (await store.GetBuildAsync(claimed?.Id ?? id))!;
                    if (current.Status == BuildStatus.Started)
                    {
                        await store.FinishBuildAsync(current.Id, random.Next(4) switch { 0 => BuildStatus.Failed, 1 => BuildStatus.Errored, _ => BuildStatus.Succeeded });
                        running.Remove(current.Id);
                    }
                    else if (current.Status == BuildStatus.Pending && random.Next(4) == 0)
                    {
                        await store.RequestAbortAsync(current.Id, "test");
                        running.Remove(current.Id);
                    }
                    break;
                case 9 when random.Next(4) == 0:
                    // Set again: same resources and jobs, a new config number (the kept snapshot is read again in full).
                    await store.SetPipelineAsync(Config(pipeline.Name, ["app", "lib", "tool"], ["unit", "integ", "deploy"]));
                    break;
            }
            if (random.Next(3) != 0)
            {
                continue;
            }
            var read = (await store.ReadResolverAsync(pipeline.Id, cursor))!;
            if (read.Full is { } rows)
            {
                kept = new ResolverSnapshot(rows.Resources, rows.Jobs, rows.Versions, rows.Builds, rows.Outputs, rows.Inputs, rows.Pipes);
                fullReads++;
            }
            else
            {
                kept = kept!.Apply(read.Delta!);
                deltaReads++;
            }
            cursor = read.Cursor;
            var all = await store.GetResolverRowsAsync(pipeline.Id);
            var fresh = new ResolverSnapshot(all.Resources, all.Jobs, all.Versions, all.Builds, all.Outputs, all.Inputs, all.Pipes);
            kept.Describe().ShouldBe(fresh.Describe(), $"after step {step}");
            foreach (var inputs in ResolverInputs())
            {
                foreach (var job in jobs)
                {
                    Outcome(Resolver.Resolve(kept, job, inputs)).ShouldBe(Outcome(Resolver.Resolve(fresh, job, inputs)), $"{job} after step {step}");
                }
            }
        }
        deltaReads.ShouldBeGreaterThan(fullReads);
    }

    [StoreFact]
    public async Task ReadResolver_ReturnsNull_WhenThePipelineIsGone()
    {
        var store = await OpenFreshAsync();
        var pipeline = await NewPipelineAsync(store, ["app"], ["unit"]);
        var first = (await store.ReadResolverAsync(pipeline.Id, null))!;
        await store.DestroyPipelineAsync(pipeline.Name, "tester");

        (await store.ReadResolverAsync(pipeline.Id, first.Cursor)).ShouldBeNull();
    }

    private static IEnumerable<IReadOnlyList<InputConfig>> ResolverInputs() =>
    [
        [new InputConfig("app", "app", []), new InputConfig("lib", "lib", [], VersionMode.Every)],
        [new InputConfig("app", "app", ["unit"]), new InputConfig("lib", "lib", ["unit", "integ"])],
        [new InputConfig("app", "app", ["unit"], VersionMode.Every), new InputConfig("tool", "tool", ["integ"])],
    ];

    private static string Outcome(Resolution resolution) =>
        string.Join("; ", resolution.Values.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => $"{v.Key}={v.Value.VersionId} first={v.Value.FirstOccurrence} via={string.Join(",", v.Value.PassedBuildIds)}"))
        + " | " + string.Join("; ", resolution.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value}"))
        + $" | next={resolution.HasNext} triggers={resolution.TriggersBuild}";
}
