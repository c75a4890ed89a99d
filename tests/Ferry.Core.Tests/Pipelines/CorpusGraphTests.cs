using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Graph;
using Ferry.Core.Pipelines.Steps;

namespace Ferry.Core.Tests.Pipelines;

public class CorpusGraphTests
{
    private static PipelineGraph Graph(string file) => PipelineLoader.LoadFile(Corpus.File(file)).Graph!;

    private static bool Reaches(PipelineGraph graph, string from, string to)
    {
        var seen = new HashSet<string> { from };
        var pending = new Queue<string>([from]);
        while (pending.TryDequeue(out var job))
        {
            foreach (var edge in graph.PassedEdges.Where(e => e.From == job && seen.Add(e.To)))
            {
                pending.Enqueue(edge.To);
            }
        }
        return seen.Contains(to);
    }

    [Fact]
    public void Build_ChainsDevelopmentStagingProduction_ForDeployCf()
    {
        var graph = Graph("deploy-cf__ci_pipeline.yml");

        graph.PassedEdges.ShouldContain(new PassedEdge("cf-deployment-gatekeeper", "plan-cf-development", "cf-deployment"));
        graph.PassedEdges.ShouldContain(new PassedEdge("plan-cf-development", "deploy-cf-development", "cf-deployment"));
        graph.PassedEdges.ShouldContain(new PassedEdge("smoke-tests-development", "deploy-cf-staging", "cf-deployment"));
        graph.PassedEdges.ShouldContain(new PassedEdge("deploy-cf-staging", "smoke-tests-staging", "cf-manifests"));
        graph.PassedEdges.ShouldContain(new PassedEdge("acceptance-tests-staging", "plan-cf-production", "cf-deployment"));
        graph.PassedEdges.ShouldContain(new PassedEdge("plan-cf-production", "deploy-cf-production", "cf-deployment"));
        // A version reaches production only through development and staging, never the other way.
        Reaches(graph, "deploy-cf-development", "deploy-cf-staging").ShouldBeTrue();
        Reaches(graph, "deploy-cf-staging", "deploy-cf-production").ShouldBeTrue();
        Reaches(graph, "deploy-cf-production", "deploy-cf-development").ShouldBeFalse();
    }

    [Fact]
    public void Build_ReadsSmokeTestsPassedList_ForDeployCf()
    {
        var result = PipelineLoader.LoadFile(Corpus.File("deploy-cf__ci_pipeline.yml"));
        var smoke = result.Pipeline!.FindJob("smoke-tests-development")!;
        var common = smoke.AllSteps().OfType<GetStep>().Single(g => g.Name == "common");

        common.Resource.ShouldBe("master-bosh-root-cert");
        common.Passed.ShouldBe(["tic-smoke-tests-development", "uaa-smoke-tests-development"]);
        common.Trigger.ShouldBeTrue();
        common.Path.ShouldBe("jobs.smoke-tests-development.plan[0].in_parallel.steps[0].get(common)");
        common.Location.Line.ShouldBe(459);
        smoke.Plan[1].ShouldBeOfType<TaskStep>().Attempts.ShouldBe(3);
    }

    [Fact]
    public void Build_HasOneEdge_ForNessusManager()
    {
        var graph = Graph("deploy-nessus-manager__pipeline.yml");

        graph.Jobs.Select(j => j.Name).ShouldBe(["reconfigure", "deploy-nessus-manager-production"]);
        graph.PassedEdges.ShouldBe([new PassedEdge("reconfigure", "deploy-nessus-manager-production", "nessus-manager-config")]);
        graph.Jobs[1].Outputs.ShouldContain("nessus-manager-production-deployment");
        graph.Jobs[1].Outputs.ShouldContain("slack");
    }

    [Fact]
    public void Load_ResolvesLegacyPlaceholders_ForDiego()
    {
        var result = PipelineLoader.LoadFile(Corpus.File("cg-deploy-diego__pipeline.yml"));

        var bucket = result.Pipeline!.Resources[0].Source["bucket"]!.GetValue<string>();
        bucket.ShouldBe("((diego-private-prod-bucket))");
        result.Warnings.ShouldContain(w => w.Message.Contains("legacy {{var}}"));
    }

    [Fact]
    public void Load_FillsGivenVars_ForDiego()
    {
        var vars = new Ferry.Core.Vars.StaticVars().AddString("diego-private-prod-bucket", "prod-bucket");
        var result = PipelineLoader.LoadFile(Corpus.File("cg-deploy-diego__pipeline.yml"), new PipelineLoadOptions { Vars = vars });

        result.Pipeline!.Resources[0].Source["bucket"]!.GetValue<string>().ShouldBe("prod-bucket");
        result.UsedVars.ShouldContain("diego-private-prod-bucket");
    }
}
