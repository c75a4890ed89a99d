using System.IO.Compression;
using Ferry.Core.Resolving;
using Ferry.Core.Resolving.VersionsDb;

namespace Ferry.Benchmarks.Resolving;

/// <summary>The five corpus dumps with the inputs of Concourse's regression suite.</summary>
internal static class DumpCases
{
    private static InputConfig In(string name, string resource, params string[] passed) => new(name, resource, passed);

    public static readonly IReadOnlyDictionary<string, InputConfig[]> Inputs = new Dictionary<string, InputConfig[]>
    {
        ["booklit"] = [In("booklit", "booklit", "unit")],
        ["bosh-versions"] =
        [
            In("bosh-src", "bosh-src", "unit-1.9", "unit-2.1", "integration-2.1-mysql", "integration-1.9-postgres", "integration-2.1-postgres"),
            In("bosh-load-tests", "bosh-load-tests"),
        ],
        ["concourse-versions-high-cpu-deploy"] =
        [
            In("concourse", "concourse", "testflight", "bin-testflight"),
            In("version", "version", "testflight", "bin-testflight"),
            In("candidate-release", "candidate-release", "testflight"),
            In("garden-linux-release", "garden-linux", "testflight"),
            In("bin-rc", "bin-rc", "bin-testflight"),
            In("bosh-stemcell", "aws-stemcell"),
            In("deployments", "deployments"),
        ],
        ["hush-house-6"] =
        [
            In("rc-image", "rc-image", "frp-deps", "gin-deps", "etcd-deps", "hugo-deps", "caddy-deps", "gitea-deps", "guardian-deps",
                "concourse-deps", "syncthing-deps", "kubernetes-deps", "prometheus-deps", "sourcegraph-deps", "concourse-cf-resource-deps",
                "concourse-s3-resource-deps", "concourse-mock-resource-deps", "concourse-pool-resource-deps", "concourse-time-resource-deps",
                "concourse-semver-resource-deps", "concourse-tracker-resource-deps", "concourse-docker-image-resource-deps",
                "concourse-datadog-event-resource-deps", "concourse-github-release-resource-deps", "concourse-registry-image-resource-deps",
                "concourse-bosh-io-stemcell-resource-deps", "concourse-concourse-pipeline-resource-deps"),
        ],
        ["relint-versions-2"] = Relint("bosh-lite-acceptance-tests", "aws-acceptance-tests", "vsphere-acceptance-tests"),
    };

    private static InputConfig[] Relint(string bl, string aws, string vs) =>
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

    public static VersionsDump Load(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                var path = Path.Combine(dir.FullName, "..", "shared", "corpus", "concourse-versions-db", name + ".json.gz");
                using var file = File.OpenRead(path);
                using var gz = new GZipStream(file, CompressionMode.Decompress);
                return VersionsDumpLoader.Load(gz, path);
            }
        }
        throw new DirectoryNotFoundException($"no Ferry.slnx above {AppContext.BaseDirectory}; cannot locate ../shared/corpus");
    }
}
