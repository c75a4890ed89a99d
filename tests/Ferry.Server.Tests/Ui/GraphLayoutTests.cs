using Ferry.Core.Pipelines.Graph;
using Ferry.Server.Ui.Pipelines;

namespace Ferry.Server.Tests.Ui;

/// <summary>The pipeline graph's layout on its own: layers left to right, no overlaps at 50 jobs, few crossings, for_each edges.</summary>
public sealed class GraphLayoutTests
{
    private static string? Link(GraphNodeKind kind, string name) => $"/{kind}/{name}";

    /// <summary>
    /// 50 jobs in 10 stages of 5, each job passing the same and the next lane of the stage before (a fan that crosses when
    /// drawn in config order), fed by one resource, then an environment chain, a for_each declaration and two of its branches.
    /// </summary>
    internal static (PipelineGraph Graph, GraphFacts Facts) FiftyJobs()
    {
        const int stages = 10, lanes = 5;
        var jobs = new List<GraphJob>();
        var passed = new List<PassedEdge>();
        // Config order lists the lanes backwards in every other stage: what the ordering has to straighten out.
        for (var s = 0; s < stages; s++)
        {
            foreach (var l in s % 2 == 0 ? Enumerable.Range(0, lanes) : Enumerable.Range(0, lanes).Reverse())
            {
                var name = $"stage-{s}-lane-{l}";
                jobs.Add(new GraphJob(name, ["src"], s == stages - 1 && l == 0 ? ["image"] : []));
                if (s > 0)
                {
                    passed.Add(new PassedEdge($"stage-{s - 1}-lane-{l}", name, "src"));
                    passed.Add(new PassedEdge($"stage-{s - 1}-lane-{(l + 1) % lanes}", name, "src"));
                }
            }
        }
        var environments = new List<GraphEnvironment>
        {
            new("development", [$"stage-{stages - 1}-lane-0"], ["src"]),
            new("staging", ["development"], ["src"]),
            new("production", ["staging"], ["src"]),
            new("pr", [], ["prs"], ForEach: "prs"),
        };
        var graph = new PipelineGraph(jobs, [new GraphResource("src", "git"), new GraphResource("image", "registry-image"), new GraphResource("prs", "git")],
            passed, environments);
        var envFacts = new Dictionary<string, NodeFacts>
        {
            ["development"] = new("env-succeeded", "r7 · succeeded", "nothing to promote now: development is on r7, the newest release"),
            ["pr"] = new("env-template", "one per version of prs", null, "prs"),
            ["pr-feature-a"] = new("env-deploying", "r3 · deploying", null, "prs"),
            ["pr-feature-b"] = new("env-none", "no release", null, "prs"),
        };
        return (graph, new GraphFacts(new Dictionary<string, NodeFacts>(), new Dictionary<string, NodeFacts>(), envFacts));
    }

    [Fact]
    public void Of_PlacesFiftyJobsWithoutOverlaps_InASensibleSize()
    {
        var (graph, facts) = FiftyJobs();

        var layout = GraphLayout.Of(graph, facts, Link);

        layout.Nodes.Count(n => n.Kind == GraphNodeKind.Job).ShouldBe(50);
        foreach (var (a, i) in layout.Nodes.Select((n, i) => (n, i)))
        {
            foreach (var b in layout.Nodes.Skip(i + 1))
            {
                var apart = a.X + GraphLayout.NodeWidth <= b.X || b.X + GraphLayout.NodeWidth <= a.X
                            || a.Y + GraphLayout.NodeHeight <= b.Y || b.Y + GraphLayout.NodeHeight <= a.Y;
                apart.ShouldBeTrue($"{a.Name} at ({a.X},{a.Y}) overlaps {b.Name} at ({b.X},{b.Y})");
            }
        }
        // 10 job stages, the resources before them, 3 environments after: 14 columns; 5 lanes, the image and the branches: few rows.
        layout.Nodes.Select(n => n.X).Distinct().Count().ShouldBe(14);
        layout.Width.ShouldBeLessThanOrEqualTo(14 * 240 + 24);
        layout.Height.ShouldBeLessThan(600);
        layout.Nodes.ShouldAllBe(n => n.X + GraphLayout.NodeWidth <= layout.Width && n.Y + GraphLayout.NodeHeight <= layout.Height);
    }

    [Fact]
    public void Of_DrawsEveryEdgeLeftToRight_InLayersByLongestPath()
    {
        var (graph, facts) = FiftyJobs();

        var layout = GraphLayout.Of(graph, facts, Link);

        var x = layout.Nodes.ToDictionary(n => (n.Kind, n.Name), n => n.X);
        foreach (var p in graph.PassedEdges)
        {
            x[(GraphNodeKind.Job, p.To)].ShouldBe(x[(GraphNodeKind.Job, p.From)] + 240, $"{p.From} → {p.To}");
        }
        // The resource sits just before the first jobs that get it, production after staging after development.
        x[(GraphNodeKind.Resource, "src")].ShouldBe(x[(GraphNodeKind.Job, "stage-0-lane-0")] - 240);
        x[(GraphNodeKind.Environment, "production")].ShouldBeGreaterThan(x[(GraphNodeKind.Environment, "staging")]);
        x[(GraphNodeKind.Environment, "staging")].ShouldBeGreaterThan(x[(GraphNodeKind.Environment, "development")]);
    }

    [Fact]
    public void Of_OrdersEachColumnByItsNeighbours_SoThatAFanDrawnInConfigOrderDoesNotCross()
    {
        // Config order puts b's job first and a's second: drawn so, the two input edges would cross.
        var graph = new PipelineGraph(
            [new GraphJob("uses-b", ["b"], []), new GraphJob("uses-a", ["a"], []), new GraphJob("both", [], [])],
            [new GraphResource("a", "git"), new GraphResource("b", "git")],
            [new PassedEdge("uses-a", "both", "a"), new PassedEdge("uses-b", "both", "b")], []);

        var layout = GraphLayout.Of(graph, GraphFacts.None, Link);

        var y = layout.Nodes.ToDictionary(n => n.Name, n => n.Y);
        (y["a"] < y["b"]).ShouldBe(y["uses-a"] < y["uses-b"], "the edges a → uses-a and b → uses-b cross");
    }

    [Fact]
    public void Of_DrawsAForEachEdge_FromTheResourceToItsDeclarationAndEachBranchEnvironment()
    {
        var (graph, facts) = FiftyJobs();

        var layout = GraphLayout.Of(graph, facts, Link);

        layout.Edges.Where(e => e.Css == "edge for-each").Select(e => (e.From, e.To))
            .ShouldBe([("prs", "pr"), ("prs", "pr-feature-a"), ("prs", "pr-feature-b")], ignoreOrder: true);
        var branch = layout.Nodes.Single(n => n.Name == "pr-feature-a");
        branch.Css.ShouldBe("environment branch env-deploying");
        branch.Detail.ShouldBe("r3 · deploying");
        var development = layout.Nodes.Single(n => n.Name == "development");
        development.Tip.ShouldNotBeEmpty();
        string.Join(' ', development.Tip).ShouldBe("nothing to promote now: development is on r7, the newest release");
    }

    [Fact]
    public void Of_ListsNodesBottomRowFirst_SoATooltipUnderANodeIsDrawnOverTheNodesBelow()
    {
        var (graph, facts) = FiftyJobs();

        var layout = GraphLayout.Of(graph, facts, Link);

        layout.Nodes.Select(n => n.Y).ShouldBeInOrder(SortDirection.Descending);
        var tipped = layout.Nodes.Where(n => n.Tip.Count > 0).ToList();
        tipped.ShouldNotBeEmpty();
        // Every tooltip fits inside the drawing, moved left at the right edge.
        tipped.ShouldAllBe(n => n.X + n.TipX >= 0 && n.X + n.TipX + GraphLayout.TipWidth <= layout.Width
                                && n.Y + GraphLayout.NodeHeight + 4 + GraphLayout.TipHeight(n.Tip) <= layout.Height);
    }

    [Fact]
    public void Wrap_BreaksTextIntoLinesThatFit_AndCutsTheRestWithAnEllipsis()
    {
        var words = string.Join(' ', Enumerable.Range(1, 200).Select(i => $"word{i}"));

        var lines = GraphLayout.Wrap(words);

        lines.Count.ShouldBe(8);
        lines.ShouldAllBe(l => l.Length <= 54);
        lines[^1].ShouldEndWith("…");
        GraphLayout.Wrap("short text").ShouldBe(["short text"]);
        GraphLayout.Wrap(null).ShouldBeEmpty();
    }
}
