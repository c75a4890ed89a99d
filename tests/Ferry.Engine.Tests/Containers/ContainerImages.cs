using Ferry.Tests.Containers;

namespace Ferry.Engine.Tests.Containers;

/// <summary>
/// One registry for the container tests, holding the images they run: busybox with a file only it has, and a
/// resource type whose <c>/opt/resource/check</c>, <c>in</c> and <c>out</c> are shell scripts.
/// </summary>
public sealed class ContainerImages : IAsyncLifetime
{
    public const string Marker = "only in the image";

    /// <summary>
    /// A counter: check answers <c>{"n": "1"}</c> with no version, else the version and the next; in writes the
    /// number, the greeting param and the build metadata; out returns the number read from params.file. Each says
    /// on stderr what it did, with its effective capabilities (privileged or not).
    /// </summary>
    private static readonly Dictionary<string, string> CounterScripts = new()
    {
        ["/opt/resource/check"] = """
            #!/bin/sh
            set -e
            request=$(cat)
            from=$(echo "$request" | sed -n 's/.*"version":{"n":"\([0-9]*\)"}.*/\1/p')
            echo "check from '$from' caps $(grep CapEff /proc/self/status | cut -f2)" >&2
            if [ -z "$from" ]; then echo '[{"n":"1"}]'; else echo "[{\"n\":\"$from\"},{\"n\":\"$((from + 1))\"}]"; fi
            """,
        ["/opt/resource/in"] = """
            #!/bin/sh
            set -e
            request=$(cat)
            n=$(echo "$request" | sed -n 's/.*"version":{"n":"\([0-9]*\)"}.*/\1/p')
            greeting=$(echo "$request" | sed -n 's/.*"greeting":"\([^"]*\)".*/\1/p')
            echo "$n" > "$1/number"
            echo "$greeting" > "$1/greeting"
            echo "build ${BUILD_ID:-none} of ${BUILD_PIPELINE_NAME:-none}" > "$1/metadata"
            echo "fetched $n into $1" >&2
            echo "{\"version\":{\"n\":\"$n\"},\"metadata\":[{\"name\":\"n\",\"value\":\"$n\"}]}"
            """,
        ["/opt/resource/out"] = """
            #!/bin/sh
            set -e
            request=$(cat)
            file=$(echo "$request" | sed -n 's/.*"file":"\([^"]*\)".*/\1/p')
            cd "$1"
            n=$(cat "$file")
            echo "pushed $n from $file in $(pwd)" >&2
            echo "{\"version\":{\"n\":\"$n\"},\"metadata\":[]}"
            """,
    };

    private TestRegistry? _registry;

    public TestRegistry Registry => _registry ?? throw new InvalidOperationException("the registry did not start");

    /// <summary><c>127.0.0.1:PORT/busybox</c>, tag <c>1</c>: busybox and <c>/etc/ferry-marker</c>.</summary>
    public string Busybox { get; private set; } = "";

    /// <summary><c>127.0.0.1:PORT/counter-type</c>, tag <c>1</c>.</summary>
    public string CounterType { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (ContainerTools.SkipReason is not null)
            return;
        _registry = await TestRegistry.StartAsync();
        Busybox = await Registry.PushBusyboxAsync("busybox", "1", rootfs => File.WriteAllText(Path.Combine(rootfs, "etc", "ferry-marker"), Marker + "\n"));
        CounterType = await Registry.PushBusyboxAsync("counter-type", "1", rootfs =>
        {
            foreach (var (path, text) in CounterScripts)
                BusyboxRootfs.Script(rootfs, path, text + "\n");
        });
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
            await _registry.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ContainerCollection : ICollectionFixture<ContainerImages>
{
    public const string Name = "containers";
}
