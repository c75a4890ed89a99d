using System.Globalization;
using Ferry.Engine.Running;

namespace Ferry.Engine.Tests.Running;

public sealed class StepDirectoriesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-step-directories-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task New_GivesEveryStepAnEmptyDirectoryOfItsOwn_AlsoWhenStepsAskAtOnce()
    {
        var steps = Path.Combine(_root, "steps");
        var directories = new StepDirectories(steps);

        var made = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var directory = directories.New();
            // A step writes into its directory: the next one must not get it (or anything in it) again.
            Directory.EnumerateFileSystemEntries(directory).ShouldBeEmpty();
            await File.WriteAllTextAsync(Path.Combine(directory, "mine"), directory);
            made.Add(directory);
            await Task.Delay(20);
        }
        var parallel = new string[20];
        Parallel.For(0, parallel.Length, i => parallel[i] = directories.New());
        made.AddRange(parallel);
        await directories.SettleAsync();

        made.Distinct().Count().ShouldBe(25);
        foreach (var directory in parallel)
        {
            Directory.EnumerateFileSystemEntries(directory).ShouldBeEmpty();
        }
        // Numbered in the order made; besides the steps' own, only the one made ahead for a next step, empty.
        var all = Directory.GetDirectories(steps);
        all.Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture)).ShouldAllBe(n => n >= 1 && n <= 26);
        var left = all.Except(made).ShouldHaveSingleItem();
        Directory.EnumerateFileSystemEntries(left).ShouldBeEmpty();
    }

    [Fact]
    public async Task New_MakesTheDirectoryItself_WhenTheOneMadeAheadIsGone()
    {
        var steps = Path.Combine(_root, "steps");
        var directories = new StepDirectories(steps);
        var first = directories.New();
        await directories.SettleAsync();
        foreach (var ahead in Directory.GetDirectories(steps).Where(d => d != first))
        {
            Directory.Delete(ahead);
        }

        var second = directories.New();

        Directory.Exists(second).ShouldBeTrue();
        second.ShouldNotBe(first);
    }
}
