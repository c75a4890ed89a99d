using Ferry.Core.Resolving;
using Ferry.Core.Resolving.VersionsDb;

namespace Ferry.Core.Tests.Resolving;

/// <summary>The expected results of Concourse's own regression suite on the real dumps.</summary>
public sealed class VersionsDumpRegressionTests(DumpFixture dumps) : IClassFixture<DumpFixture>
{
    private static InputConfig In(string name, string resource, params string[] passed) => new(name, resource, passed);

    private SortedDictionary<string, string> ResolveNames(string dumpFile, params InputConfig[] inputs)
    {
        var dump = dumps[dumpFile];
        var result = Resolver.Resolve(dump.Snapshot, VersionsDump.CurrentJob, inputs);
        result.Errors.ShouldBeEmpty();
        result.Ok.ShouldBeTrue();
        return new SortedDictionary<string, string>(result.Values.ToDictionary(p => p.Key, p => dump.VersionName(p.Value.VersionId)), StringComparer.Ordinal);
    }

    [Fact]
    public void Resolve_MatchesUpstream_WhenBooklitHasScopesAndReruns()
    {
        ResolveNames("booklit.json.gz", In("booklit", "booklit", "unit"))
            .ShouldBe(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["booklit"] = "imported-r1v26528" });
    }

    [Fact]
    public void Resolve_MatchesUpstream_WhenBoshFansInFromFiveJobs()
    {
        ResolveNames("bosh-versions.json.gz",
                In("bosh-src", "bosh-src", "unit-1.9", "unit-2.1", "integration-2.1-mysql", "integration-1.9-postgres", "integration-2.1-postgres"),
                In("bosh-load-tests", "bosh-load-tests"))
            .ShouldBe(new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["bosh-src"] = "imported-r88v9814",
                ["bosh-load-tests"] = "imported-r89v7204",
            });
    }

    [Fact]
    public void Resolve_MatchesUpstream_WhenConcourseDeployCorrelatesSevenInputs()
    {
        ResolveNames("concourse-versions-high-cpu-deploy.json.gz",
                In("concourse", "concourse", "testflight", "bin-testflight"),
                In("version", "version", "testflight", "bin-testflight"),
                In("candidate-release", "candidate-release", "testflight"),
                In("garden-linux-release", "garden-linux", "testflight"),
                In("bin-rc", "bin-rc", "bin-testflight"),
                In("bosh-stemcell", "aws-stemcell"),
                In("deployments", "deployments"))
            .ShouldBe(new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["candidate-release"] = "imported-r238v448886",
                ["deployments"] = "imported-r45v448469",
                ["bosh-stemcell"] = "imported-r48v443997",
                ["bin-rc"] = "imported-r765v448889",
                ["garden-linux-release"] = "imported-r17v443811",
                ["version"] = "imported-r12v448884",
                ["concourse"] = "imported-r62v448881",
            });
    }

    [Fact]
    public void Resolve_MatchesUpstream_WhenHushHouseFansInFromTwentyFiveJobs()
    {
        string[] passed =
        [
            "frp-deps", "gin-deps", "etcd-deps", "hugo-deps", "caddy-deps", "gitea-deps", "guardian-deps", "concourse-deps",
            "syncthing-deps", "kubernetes-deps", "prometheus-deps", "sourcegraph-deps", "concourse-cf-resource-deps",
            "concourse-s3-resource-deps", "concourse-mock-resource-deps", "concourse-pool-resource-deps",
            "concourse-time-resource-deps", "concourse-semver-resource-deps", "concourse-tracker-resource-deps",
            "concourse-docker-image-resource-deps", "concourse-datadog-event-resource-deps",
            "concourse-github-release-resource-deps", "concourse-registry-image-resource-deps",
            "concourse-bosh-io-stemcell-resource-deps", "concourse-concourse-pipeline-resource-deps",
        ];
        ResolveNames("hush-house-6.json.gz", In("rc-image", "rc-image", passed))
            .ShouldBe(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["rc-image"] = "imported-r31481v804095" });
    }

    [Fact]
    public void Resolve_MatchesUpstream_WhenRelintCorrelatesSeventeenInputs()
    {
        const string bl = "bosh-lite-acceptance-tests", aws = "aws-acceptance-tests", vs = "vsphere-acceptance-tests";
        ResolveNames("relint-versions-2.json.gz", RelintInputs(bl, aws, vs))
            .ShouldBe(new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["bosh-lite-stemcell"] = "imported-r481v115766",
                ["bosh-lite-build-url"] = "imported-r678v147165",
                ["vsphere-director-version"] = "imported-r682v147119",
                ["bosh-lite-director-version"] = "imported-r681v147130",
                ["bosh-lite"] = "imported-r480v140408",
                ["runtime-ci"] = "imported-r494v147631",
                ["garden-linux-release-tarball"] = "imported-r477v132094",
                ["etcd-release-tarball"] = "imported-r478v142504",
                ["diego-release-tarball"] = "imported-r696v143482",
                ["aws-stemcell"] = "imported-r482v146776",
                ["vsphere-build-url"] = "imported-r679v147136",
                ["aws-build-url"] = "imported-r677v147123",
                ["aws-director-version"] = "imported-r680v147110",
                ["diego-cf-compatibility"] = "imported-r475v147167",
                ["cflinuxfs2-rootfs-release-tarball"] = "imported-r479v146681",
                ["cf-release"] = "imported-r470v147078",
                ["vsphere-stemcell"] = "imported-r484v146782",
            });
    }

    internal static InputConfig[] RelintInputs(string bl, string aws, string vs) =>
    [
        In("runtime-ci", "runtime-ci"),
        In("diego-cf-compatibility", "diego-cf-compatibility"),
        In("cf-release", "cf-release-develop", bl, aws, vs),
        In("bosh-lite", "bosh-lite", bl),
        In("bosh-lite-stemcell", "bosh-lite-stemcell", bl),
        In("vsphere-stemcell", "vsphere-stemcell", vs),
        In("aws-stemcell", "aws-stemcell", aws),
        In("diego-release-tarball", "diego-release-tarball", aws, bl, vs),
        In("garden-linux-release-tarball", "garden-linux-release-tarball", aws, bl, vs),
        In("etcd-release-tarball", "etcd-release-tarball", aws, bl, vs),
        In("cflinuxfs2-rootfs-release-tarball", "cflinuxfs2-rootfs-release-tarball", aws, bl, vs),
        In("vsphere-director-version", "vsphere-director-version", vs),
        In("aws-director-version", "aws-director-version", aws),
        In("bosh-lite-director-version", "bosh-lite-director-version", bl),
        In("vsphere-build-url", "vsphere-build-url", vs),
        In("aws-build-url", "aws-build-url", aws),
        In("bosh-lite-build-url", "bosh-lite-build-url", bl),
    ];
}
