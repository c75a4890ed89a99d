using Ferry.Tests.LocalServers;
using System.Text.Json.Nodes;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;

namespace Ferry.Engine.Tests.Resources;

/// <summary>The node-red type against instances as they are deployed: adminAuth (user and password, or a bearer token) and an httpAdminRoot.</summary>
public sealed class NodeRedAuthTests : IAsyncLifetime
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly HttpClient Http = new();
    private readonly NodeRedResourceType _type = new();
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-node-red-auth-").FullName;
    private readonly List<NodeRedInstance> _instances = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<NodeRedInstance> StartAsync(NodeRedOptions options)
    {
        var instance = await NodeRedInstance.StartAsync(options);
        _instances.Add(instance);
        return instance;
    }

    private ResourceCall Call() => new(TextWriter.Null, new Dictionary<string, string>(), Path.Combine(_root, "cache"));

    private static JsonArray Flows(string label) => JsonNode.Parse($$"""
        [
          {"id": "t1", "type": "tab", "label": "{{label}}", "env": [{"name": "API_URL", "value": "http://here", "type": "str"}]},
          {"id": "n1", "type": "inject", "z": "t1", "name": "tick", "props": [], "repeat": "", "once": false, "wires": [["n2"]]},
          {"id": "n2", "type": "debug", "z": "t1", "name": "out", "active": true, "wires": []}
        ]
        """)!.AsArray();

    private static string? Label(JsonArray flows) => (string?)flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "t1")["label"];

    /// <summary>Check, get and put through <paramref name="source"/>: the put deploys a changed label.</summary>
    private async Task CheckGetPutAsync(NodeRedInstance instance, JsonObject source)
    {
        await instance.DeployAsync(Flows("Before"));
        var version = (await _type.CheckAsync(Call(), source, null, CancellationToken.None)).ShouldHaveSingleItem();
        version.Version["rev"].ShouldBe((await instance.GetFlowsAsync()).Rev);
        var got = Directory.CreateDirectory(Path.Combine(_root, "got-" + Guid.NewGuid().ToString("N")[..6], "dev")).FullName;
        await _type.GetAsync(Call(), source, version, [], got, CancellationToken.None);
        var flows = JsonNode.Parse(File.ReadAllText(Path.Combine(got, "flows.json")))!.AsArray();
        Label(flows).ShouldBe("Before");
        flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "t1")["label"] = "After";
        File.WriteAllText(Path.Combine(got, "flows.json"), flows.ToJsonString());

        var put = await _type.PutAsync(Call(), source, new JsonObject { ["flows"] = "dev/flows.json" }, Path.GetDirectoryName(got)!, CancellationToken.None);

        var (rev, deployed) = await instance.GetFlowsAsync();
        put.Version["rev"].ShouldBe(rev);
        Label(deployed).ShouldBe("After");
    }

    [NodeRedFact]
    public async Task CheckGetPut_LogInWithUsernameAndPassword_WhenInstanceHasAdminAuth()
    {
        var instance = await StartAsync(new NodeRedOptions(AdminAuth: true));

        await CheckGetPutAsync(instance, instance.Source());
    }

    [NodeRedFact]
    public async Task CheckGetPut_UseBearerToken_WhenSourceHasToken()
    {
        var instance = await StartAsync(new NodeRedOptions(AdminAuth: true));

        await CheckGetPutAsync(instance, new JsonObject { ["url"] = instance.Url, ["token"] = await instance.LogInAsync() });
    }

    [NodeRedFact]
    public async Task CheckGetPut_ReachAdminApi_WhenInstanceHasHttpAdminRoot()
    {
        var instance = await StartAsync(new NodeRedOptions(AdminRoot: "/admin"));
        instance.Url.ShouldEndWith("/admin");

        await CheckGetPutAsync(instance, instance.Source());

        var outside = await Should.ThrowAsync<ResourceException>(() =>
            _type.CheckAsync(Call(), new JsonObject { ["url"] = $"http://127.0.0.1:{instance.Port}" }, null, CancellationToken.None));
        outside.IsRetryable.ShouldBeFalse();
        outside.Message.ShouldContain("httpAdminRoot");
    }

    [NodeRedFact]
    public async Task CheckAsync_ThrowsTerminalNamingSourceFields_WhenPasswordIsWrong()
    {
        var instance = await StartAsync(new NodeRedOptions(AdminAuth: true, AdminRoot: "/admin"));
        var source = instance.Source();
        source["password"] = "not-the-password";

        var error = await Should.ThrowAsync<ResourceException>(() => _type.CheckAsync(Call(), source, null, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldStartWith($"node-red: {instance.Url}/auth/token refused to log in source.username 'ferry' with source.password (403");
        error.Message.ShouldNotContain("not-the-password");
    }

    [NodeRedFact]
    public async Task CheckAsync_ThrowsTerminalNamingSourceFields_WhenNoCredentialIsGiven()
    {
        var instance = await StartAsync(new NodeRedOptions(AdminAuth: true));

        var error = await Should.ThrowAsync<ResourceException>(() =>
            _type.CheckAsync(Call(), new JsonObject { ["url"] = instance.Url }, null, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain("401");
        error.Message.ShouldContain("the instance has adminAuth: set source.username and source.password, or source.token");
    }

    [NodeRedFact]
    public async Task TokenAsync_KeepsTokenUntilShortlyBeforeItExpires_ThenLogsInAgain()
    {
        var instance = await StartAsync(new NodeRedOptions(AdminAuth: true));
        var clock = new Clock();
        var login = new NodeRedLogin(clock);
        var source = NodeRedSource.Parse(instance.Source());
        var admin = new NodeRedAdmin(source, login);
        await admin.GetFlowsAsync(CancellationToken.None);
        var first = await login.TokenAsync(source, Http, renew: false, CancellationToken.None);

        // Node-RED's tokens live a week (adminAuth.sessionExpiryTime); Ferry renews them a minute before.
        clock.Now += TimeSpan.FromDays(7) - TimeSpan.FromSeconds(61);
        (await login.TokenAsync(source, Http, renew: false, CancellationToken.None)).ShouldBe(first);
        clock.Now += TimeSpan.FromSeconds(2);
        var renewed = await login.TokenAsync(source, Http, renew: false, CancellationToken.None);

        renewed.ShouldNotBe(first);
        (await admin.GetFlowsAsync(CancellationToken.None)).Flows.ShouldBeEmpty();
    }

    [NodeRedFact]
    public async Task GetFlowsAsync_LogsInAgainOnce_WhenKeptTokenIsRefused()
    {
        var instance = await StartAsync(new NodeRedOptions(AdminAuth: true));
        var login = new NodeRedLogin(TimeProvider.System);
        var source = NodeRedSource.Parse(instance.Source());
        var admin = new NodeRedAdmin(source, login);
        await admin.GetFlowsAsync(CancellationToken.None);
        var kept = await login.TokenAsync(source, Http, renew: false, CancellationToken.None);
        await instance.RevokeAsync(kept);

        await admin.GetFlowsAsync(CancellationToken.None);

        (await login.TokenAsync(source, Http, renew: false, CancellationToken.None)).ShouldNotBe(kept);
    }

    [Theory]
    [InlineData("""{"url": "http://127.0.0.1:1880", "username": "ferry"}""", "source.password: required with source.username")]
    [InlineData("""{"url": "http://127.0.0.1:1880", "password": "x"}""", "source.username: required with source.password")]
    [InlineData("""{"url": "http://127.0.0.1:1880", "token": "t", "username": "ferry", "password": "x"}""", "source.token: give either source.token or")]
    public void Parse_ThrowsConfigError_WhenCredentialsAreIncomplete(string source, string message)
    {
        var error = Should.Throw<ResourceConfigException>(() => NodeRedSource.Parse(JsonNode.Parse(source)!.AsObject()));

        error.Message.ShouldStartWith(message);
    }
}
