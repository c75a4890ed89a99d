using System.Text.Json.Nodes;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    private const string Secret = "s3cr3t-Zq8+/x\"y";

    /// <summary>A pipeline set with the secret var <c>token</c>, which its resource's source and webhook token use.</summary>
    private static PipelineConfigInput SecretConfig(string name) =>
        Config(name, [], ["unit"]) with
        {
            Vars = new JsonObject { ["env"] = "test", ["token"] = Secret },
            Resources =
            [
                new ResourceDefinition("app", "git", new JsonObject { ["uri"] = "file:///repos/app", ["password"] = Secret },
                    new JsonObject { ["name"] = "app", ["type"] = "git", ["source"] = new JsonObject { ["password"] = Secret } }, Secret),
            ],
            SecretVars = ["token"],
        };

    [StoreFact]
    public async Task SetPipeline_GivesSecretVarsBack_WhenReadAgain()
    {
        var name = UniqueName("secret");
        var set = await Store.SetPipelineAsync(SecretConfig(name));

        set.Vars["token"]!.GetValue<string>().ShouldBe(Secret);
        var read = (await Store.GetPipelineConfigAsync(set.PipelineId))!;
        read.Vars["token"]!.GetValue<string>().ShouldBe(Secret);
        read.Vars["env"]!.GetValue<string>().ShouldBe("test");
        read.SecretVars.ShouldBe(["token"]);
        (await Store.ListPipelineConfigsAsync(set.PipelineId)).Single().Vars["token"]!.GetValue<string>().ShouldBe(Secret);
        var resource = (await Store.GetResourceAsync(set.PipelineId, "app"))!;
        resource.Source["password"]!.GetValue<string>().ShouldBe(Secret);
        resource.Config["source"]!["password"]!.GetValue<string>().ShouldBe(Secret);
        resource.WebhookToken.ShouldBe(Secret);
        (await Store.ListResourcesDueForCheckAsync(DateTimeOffset.UtcNow.AddYears(1))).Single(r => r.Id == resource.Id).Source["password"]!.GetValue<string>().ShouldBe(Secret);
    }

    [StoreFact]
    public async Task CreateBuild_GivesThePlanBack_WhenThePipelineHasSecretVars()
    {
        var set = await Store.SetPipelineAsync(SecretConfig(UniqueName("secret")));
        var job = (await Store.GetJobAsync(set.PipelineId, "unit"))!;
        var plan = $$"""{"kind":"do","id":"1","steps":[],"password":"{{Secret.Replace("\"", "\\\"", StringComparison.Ordinal)}}"}""";

        var build = await Store.CreateBuildAsync(new NewBuild(set.PipelineId, job.Id, plan, [], []));

        build.PlanJson.ShouldBe(plan);
        (await Store.GetBuildAsync(build.Id))!.PlanJson.ShouldBe(plan);
        (await Store.ListBuildsAsync(new BuildQuery(set.PipelineId))).Single().PlanJson.ShouldBe(plan);
    }
}
