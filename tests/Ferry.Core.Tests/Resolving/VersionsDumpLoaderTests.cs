using System.Text;
using Ferry.Core.Resolving;
using Ferry.Core.Resolving.VersionsDb;

namespace Ferry.Core.Tests.Resolving;

public sealed class VersionsDumpLoaderTests
{
    private static VersionsDump Load(string json) => VersionsDumpLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

    private const string Scoped = """
        {
          "Jobs": [{"Name": "unit", "ID": 1}, {"Name": "current", "ID": 2}],
          "Resources": [{"Name": "app", "ID": 1, "ScopeID": 7}, {"Name": "tool", "ID": 2, "ScopeID": null}],
          "ResourceVersions": [
            {"VersionID": 10, "ResourceID": 1, "CheckOrder": 1, "ScopeID": 7},
            {"VersionID": 11, "ResourceID": 1, "CheckOrder": 2, "ScopeID": 7},
            {"VersionID": 12, "ResourceID": 1, "CheckOrder": 3, "ScopeID": 6},
            {"VersionID": 20, "ResourceID": 2, "CheckOrder": 1, "ScopeID": 0}
          ],
          "BuildOutputs": [{"VersionID": 11, "ResourceID": 1, "CheckOrder": 2, "ScopeID": 7, "BuildID": 100, "JobID": 1}],
          "BuildInputs": [{"VersionID": 10, "ResourceID": 1, "CheckOrder": 1, "ScopeID": 7, "BuildID": 101, "JobID": 1, "InputName": "app"}],
          "BuildReruns": [],
          "DisabledVersions": [{"ResourceID": 1, "VersionID": 11}]
        }
        """;

    [Fact]
    public void Load_CountsOnlyCurrentScope_WhenVersionsComeFromAnOldScope()
    {
        var dump = Load(Scoped);
        var result = Resolver.Resolve(dump.Snapshot, "current", [new("app", "app", []), new("tool", "tool", [])]);
        // 12 is in an old scope and 11 is disabled; tool's null scope is its own id.
        dump.VersionName(result.Values["app"].VersionId).ShouldBe("imported-r1v10");
        dump.VersionName(result.Values["tool"].VersionId).ShouldBe("imported-r2v20");
    }

    [Fact]
    public void Load_TreatsBuildsOnlyInInputsAsFailed_WhenResolvingPassed()
    {
        // Build 100 succeeded with disabled 11; build 101 (only in inputs) failed with 10: nothing passed unit.
        var result = Resolver.Resolve(Load(Scoped).Snapshot, "current", [new("app", "app", ["unit"])]);
        result.Errors["app"].ShouldBe(ResolveErrors.NoSatisfiableBuilds);
    }

    [Fact]
    public void Load_ReadsLegacyMapsRerunsAndPipes_WhenDumpIsPre6()
    {
        var dump = Load("""
            {
              "JobIDs": {"unit": 1, "current": 2},
              "ResourceIDs": {"app": 1},
              "ResourceVersions": [
                {"VersionID": 1, "ResourceID": 1, "CheckOrder": 1},
                {"VersionID": 2, "ResourceID": 1, "CheckOrder": 2},
                {"VersionID": 3, "ResourceID": 1, "CheckOrder": 3}
              ],
              "BuildOutputs": [
                {"VersionID": 1, "ResourceID": 1, "BuildID": 11, "JobID": 1},
                {"VersionID": 2, "ResourceID": 1, "BuildID": 12, "JobID": 1},
                {"VersionID": 3, "ResourceID": 1, "BuildID": 13, "JobID": 1},
                {"VersionID": 1, "ResourceID": 1, "BuildID": 50, "JobID": 2}
              ],
              "BuildInputs": [{"VersionID": 1, "ResourceID": 1, "BuildID": 50, "JobID": 2, "InputName": "app"}],
              "BuildReruns": [{"BuildID": 13, "JobID": 1, "RerunOf": 10}],
              "BuildPipes": [{"FromBuildID": 11, "ToBuildID": 50}]
            }
            """);
        // Build 13 reruns build 10, so it sorts before 11; every resumes after 11 (oldest first): build 12.
        var every = Resolver.Resolve(dump.Snapshot, "current", [new("app", "app", ["unit"], VersionMode.Every)]);
        dump.VersionName(every.Values["app"].VersionId).ShouldBe("imported-r1v2");
        every.Values["app"].PassedBuildIds.ShouldBe([12L]);

        var latest = Resolver.Resolve(dump.Snapshot, "current", [new("app", "app", ["unit"])]);
        dump.VersionName(latest.Values["app"].VersionId).ShouldBe("imported-r1v2");
        latest.Values["app"].FirstOccurrence.ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("{\"Jobs\": []}")]
    [InlineData("null")]
    public void Load_ThrowsFormatExceptionNamingSource_WhenNotADump(string json)
    {
        Should.Throw<FormatException>(() => Load(json)).Message.ShouldStartWith("test.json: ");
    }

    [Fact]
    public void Snapshot_ThrowsNamingTheBuild_WhenOutputNamesUnknownBuild()
    {
        var builder = new ResolverSnapshotBuilder().Resource(1, "app").Output(77, 1, 5);
        Should.Throw<ArgumentException>(builder.ToSnapshot).Message.ShouldContain("build 77");
    }
}
