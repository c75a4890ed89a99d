using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Stages;

namespace Ferry.Core.Tests.Pipelines;

public class StageEditsTests
{
    private const string Chain = """
        # the flows of development
        resources:
          - name: dev-flows
            type: node-red
            source: { url: http://127.0.0.1:1880 }
        environments:
          - name: development
            instance: dev-flows   # the source
          - name: staging
            from: [development]
            instance: { type: node-red, source: { url: http://127.0.0.1:1881 } }
            env_keys: keys-only
          # production is manual
          - name: production
            from:
              - staging
            instance: { type: node-red, source: { url: http://127.0.0.1:1882, token: ((prod-token)) } }
            promote: manual

        """;

    private static readonly NewStage Qa = new("qa", "http://127.0.0.1:1883");

    private static PipelineConfig Load(string yaml)
    {
        var result = PipelineLoader.Load(yaml, "pipeline.yml", new PipelineLoadOptions());
        result.Errors.ShouldBeEmpty();
        return result.Pipeline!;
    }

    private static IReadOnlyList<string> From(PipelineConfig config, string stage) => config.FindEnvironment(stage)!.From;

    [Fact]
    public void Add_InsertsBetweenTwo_WhenAfterNamesOneWithASuccessor()
    {
        var edited = StageEdits.Add(Chain, Qa with { Promote = "manual" }, new StagePosition(After: "staging"));

        var config = Load(edited.Yaml);
        From(config, "qa").ShouldBe(["staging"]);
        From(config, "production").ShouldBe(["qa"]);
        From(config, "staging").ShouldBe(["development"]);
        config.FindEnvironment("qa")!.Instance!.Source!["url"]!.GetValue<string>().ShouldBe("http://127.0.0.1:1883");
        config.FindEnvironment("qa")!.Promote.ShouldBe(PromoteMode.Manual);
        // Comments and the untouched environments stay as written; qa sits right after staging.
        edited.Yaml.ShouldContain("# production is manual");
        edited.Yaml.ShouldContain("instance: dev-flows   # the source");
        config.Environments.Select(e => e.Name).ShouldBe(["development", "staging", "qa", "production"]);
        edited.Summary.ShouldBe("added stage qa after staging");
    }

    [Fact]
    public void Add_AppendsAfterTheLastStage_WhenNoPositionIsGiven()
    {
        var edited = StageEdits.Add(Chain, Qa with { TokenVar = "qa-token" }, StagePosition.End);

        var config = Load(edited.Yaml);
        From(config, "qa").ShouldBe(["production"]);
        From(config, "production").ShouldBe(["staging"]);
        config.FindEnvironment("qa")!.Instance!.Source!["token"]!.GetValue<string>().ShouldBe("((qa-token))");
        edited.Yaml.ShouldEndWith("      token: ((qa-token))\n");
    }

    [Fact]
    public void Add_TakesOverTheFromOfTheStageItGoesBefore_WhenBeforeIsGiven()
    {
        var edited = StageEdits.Add(Chain, Qa, new StagePosition(Before: "production"));

        var config = Load(edited.Yaml);
        From(config, "qa").ShouldBe(["staging"]);
        From(config, "production").ShouldBe(["qa"]);
        config.Environments.Select(e => e.Name).ShouldBe(["development", "staging", "qa", "production"]);
    }

    [Fact]
    public void Add_MakesTheSourceWithItsResource_WhenThePipelineHasNoStages()
    {
        var edited = StageEdits.Add("jobs: []\n", new NewStage("development", "http://127.0.0.1:1880", "dev-token"), StagePosition.End);

        var config = Load(edited.Yaml);
        config.FindEnvironment("development")!.Instance!.ResourceName.ShouldBe("development-flows");
        var resource = config.FindResource("development-flows")!;
        resource.Type.ShouldBe("node-red");
        resource.Source["token"]!.GetValue<string>().ShouldBe("((dev-token))");
        edited.Summary.ShouldBe("added stage development as the source of releases");
    }

    [Fact]
    public void Move_RewritesTheLinks_WhenAStageGoesAfterItsSuccessor()
    {
        var edited = StageEdits.Move(Chain, "staging", new StagePosition(After: "production"));

        var config = Load(edited.Yaml);
        From(config, "production").ShouldBe(["development"]);
        From(config, "staging").ShouldBe(["production"]);
        config.Environments.Select(e => e.Name).ShouldBe(["development", "production", "staging"]);
        // staging kept its own settings.
        config.FindEnvironment("staging")!.Instance!.Source!["url"]!.GetValue<string>().ShouldBe("http://127.0.0.1:1881");
    }

    [Fact]
    public void Move_PutsAStageBeforeAnother_WhenBeforeIsGiven()
    {
        var three = StageEdits.Add(Chain, Qa, StagePosition.End).Yaml;

        var edited = StageEdits.Move(three, "qa", new StagePosition(Before: "staging"));

        var config = Load(edited.Yaml);
        From(config, "qa").ShouldBe(["development"]);
        From(config, "staging").ShouldBe(["qa"]);
        From(config, "production").ShouldBe(["staging"]);
    }

    [Fact]
    public void Remove_GivesItsFromToItsSuccessor_WhenAMiddleStageGoes()
    {
        var edited = StageEdits.Remove(Chain, "staging");

        var config = Load(edited.Yaml);
        config.Environments.Select(e => e.Name).ShouldBe(["development", "production"]);
        From(config, "production").ShouldBe(["development"]);
        edited.Summary.ShouldBe("removed stage staging; production now comes from development");
        edited.Yaml.ShouldNotContain("1881");
        edited.Yaml.ShouldContain("# production is manual");
    }

    [Fact]
    public void Remove_TakesTheSourceResourceToo_WhenTheSourceIsTheOnlyStage()
    {
        var one = StageEdits.Add("jobs: []\n", new NewStage("development", "http://127.0.0.1:1880"), StagePosition.End).Yaml;

        var edited = StageEdits.Remove(one, "development");

        edited.Yaml.ShouldNotContain("development");
        edited.Summary.ShouldBe("removed stage development and its resource development-flows");
    }

    [Theory]
    [InlineData("add-taken", StageRefusal.Conflict, "name", "a stage named 'staging' already exists")]
    [InlineData("add-bad-name", StageRefusal.Invalid, "name", "stage name 'Staging!' is not valid")]
    [InlineData("add-unknown-after", StageRefusal.NotFound, "after", "after: no stage named 'nope'")]
    [InlineData("add-before-source", StageRefusal.Conflict, "before", "stage 'development' is the source stage")]
    [InlineData("move-source", StageRefusal.Conflict, "stage", "stage 'development' is the source stage")]
    [InlineData("move-unknown", StageRefusal.NotFound, "stage", "stage: no stage named 'nope'")]
    [InlineData("move-before-source", StageRefusal.Conflict, "before", "stage 'development' is the source stage")]
    [InlineData("move-nowhere", StageRefusal.Invalid, "after", "say where")]
    [InlineData("remove-source", StageRefusal.Conflict, "stage", "stage 'development' is the source stage of staging")]
    [InlineData("remove-unknown", StageRefusal.NotFound, "stage", "no stage named 'nope'")]
    public void Edit_RefusesNamingTheField_WhenTheEditCannotBeMade(string edit, StageRefusal refusal, string field, string message)
    {
        Action act = edit switch
        {
            "add-taken" => () => StageEdits.Add(Chain, Qa with { Name = "staging" }, StagePosition.End),
            "add-bad-name" => () => StageEdits.Add(Chain, Qa with { Name = "Staging!" }, StagePosition.End),
            "add-unknown-after" => () => StageEdits.Add(Chain, Qa, new StagePosition(After: "nope")),
            "add-before-source" => () => StageEdits.Add(Chain, Qa, new StagePosition(Before: "development")),
            "move-source" => () => StageEdits.Move(Chain, "development", new StagePosition(After: "production")),
            "move-unknown" => () => StageEdits.Move(Chain, "nope", new StagePosition(After: "production")),
            "move-before-source" => () => StageEdits.Move(Chain, "production", new StagePosition(Before: "development")),
            "move-nowhere" => () => StageEdits.Move(Chain, "production", StagePosition.End),
            "remove-source" => () => StageEdits.Remove(Chain, "development"),
            _ => () => StageEdits.Remove(Chain, "nope"),
        };

        var e = Should.Throw<StageEditException>(act);

        e.Refusal.ShouldBe(refusal);
        e.Field.ShouldBe(field);
        e.Message.ShouldContain(message);
    }

    [Fact]
    public void Add_WritesSecretsOnlyAsVarReferences_WhenTheInstanceNeedsALogin()
    {
        var edited = StageEdits.Add(Chain, Qa with { Username = "ferry", PasswordVar = "qa-password" }, new StagePosition(After: "staging"));

        var source = Load(edited.Yaml).FindEnvironment("qa")!.Instance!.Source!;
        source["username"]!.GetValue<string>().ShouldBe("ferry");
        source["password"]!.GetValue<string>().ShouldBe("((qa-password))");
        Should.Throw<StageEditException>(() => StageEdits.Add(Chain, Qa with { TokenVar = "t", Username = "ferry", PasswordVar = "p" }, StagePosition.End))
            .Field.ShouldBe("username");
        Should.Throw<StageEditException>(() => StageEdits.Add(Chain, Qa with { Username = "ferry" }, StagePosition.End)).Field.ShouldBe("passwordVar");
        Should.Throw<StageEditException>(() => StageEdits.Add(Chain, Qa with { TokenVar = "not a var" }, StagePosition.End)).Field.ShouldBe("tokenVar");
    }

    [Fact]
    public void Add_Refuses_WhenEnvironmentsIsAFlowList()
    {
        var e = Should.Throw<StageEditException>(() => StageEdits.Add(
            "resources: []\nenvironments: [{name: a, instance: r}]\n", Qa, StagePosition.End));

        e.Field.ShouldBe("environments");
    }
}
