using System.Globalization;
using Ferry.Engine.Running;

namespace Ferry.Engine.Tests.Running;

public sealed class StepDirectoriesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-step-directories-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task New_GivesEveryStepAnEmptyDirectoryOfItsOwn_NamedInOrder_AlsoWhenStepsAskAtOnce()
    {
        var steps = Path.Combine(_root, "steps");
        var directories = new StepDirectories(steps);

        var made = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var directory = directories.New(i == 0 ? "unit tests" : "build");
            // A step writes into its directory: the next one must not get it (or anything in it) again.
            await File.WriteAllTextAsync(Path.Combine(directory, "mine"), directory);
            made.Add(directory);
            await Task.Delay(20);
        }
        var parallel = new string[20];
        Parallel.For(0, parallel.Length, i => parallel[i] = directories.New($"p{i}"));
        made.AddRange(parallel);
        await directories.SettleAsync();

        made[0].ShouldBe(Path.Combine(steps, "0001-unit_tests"));
        made[1].ShouldBe(Path.Combine(steps, "0002-build"));
        made.Select(d => int.Parse(Path.GetFileName(d)[..4], CultureInfo.InvariantCulture)).Order().ShouldBe(Enumerable.Range(1, 25));
        made.Distinct().Count().ShouldBe(25);
        foreach (var directory in parallel)
        {
            Directory.EnumerateFileSystemEntries(directory).ShouldBeEmpty();
        }
        // Besides the steps' own, only the one made ahead for a next step.
        Directory.GetDirectories(steps).Except(made).Select(Path.GetFileName).ShouldHaveSingleItem().ShouldStartWith(".ahead-");
    }

    [Fact]
    public async Task New_MakesTheDirectoryItself_WhenTheOneMadeAheadIsGone()
    {
        var steps = Path.Combine(_root, "steps");
        var directories = new StepDirectories(steps);
        directories.New("first");
        await directories.SettleAsync();
        foreach (var ahead in Directory.GetDirectories(steps, ".ahead-*"))
        {
            Directory.Delete(ahead);
        }

        var second = directories.New("second");

        Directory.Exists(second).ShouldBeTrue();
        Path.GetFileName(second).ShouldBe("0002-second");
    }
}
