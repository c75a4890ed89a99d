using Ferry.Core.Promotion;

namespace Ferry.Core.Tests.Promotion;

public sealed class ReleaseTests
{
    private static Dictionary<string, string> Ref(string r) => new() { ["ref"] = r };

    [Fact]
    public void Create_GivesSameId_WhenItemsAndFieldsComeInAnyOrder()
    {
        var a = Release.Create(new ReleaseItem("lib", new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }), new ReleaseItem("app", Ref("x")));
        var b = Release.Create(new ReleaseItem("app", Ref("x")), new ReleaseItem("lib", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));

        a.Id.ShouldBe(b.Id);
        a.CanonicalJson.ShouldBe("""{"app":{"ref":"x"},"lib":{"a":"1","b":"2"}}""");
        a.Id.Length.ShouldBe(64);
        a.Items.Select(i => i.Resource).ShouldBe(["app", "lib"]);
    }

    [Fact]
    public void Create_GivesDifferentId_WhenOneVersionDiffers()
    {
        Release.Create(new ReleaseItem("app", Ref("x"))).Id.ShouldNotBe(Release.Create(new ReleaseItem("app", Ref("y"))).Id);
    }

    [Fact]
    public void FromCanonicalJson_RoundTrips_WhenReadBack()
    {
        var release = Release.Create(new ReleaseItem("app", Ref("x")), new ReleaseItem("img", new Dictionary<string, string> { ["digest"] = "sha256:1" }));
        Release.FromCanonicalJson(release.CanonicalJson).Id.ShouldBe(release.Id);
    }

    [Fact]
    public void Create_Throws_WhenEmptyOrDuplicate()
    {
        Should.Throw<ArgumentException>(() => Release.Create()).Message.ShouldContain("at least one");
        Should.Throw<ArgumentException>(() => Release.Create(new ReleaseItem("app", Ref("x")), new ReleaseItem("app", Ref("y"))))
            .Message.ShouldContain("'app' appears twice");
    }

    [Theory]
    [InlineData("r42", true, 42)]
    [InlineData("7", true, 7)]
    [InlineData("r0", false, 0)]
    [InlineData("rx", false, 0)]
    [InlineData("", false, 0)]
    public void TryParse_ReadsShortNames_WhenGiven(string text, bool ok, int number)
    {
        ReleaseName.TryParse(text, out var parsed).ShouldBe(ok);
        if (ok)
        {
            parsed.ShouldBe(number);
            ReleaseName.Of(parsed).ShouldBe("r" + number);
        }
    }

    [Fact]
    public void FromBuild_KeepsOnlyReleaseResources_WhenBuildHasMore()
    {
        var release = ReleaseFormation.FromBuild(["app"], [new ReleaseItem("app", Ref("x")), new ReleaseItem("tools", Ref("t"))])!;
        release.Items.Select(i => i.Resource).ShouldBe(["app"]);
        ReleaseFormation.FromBuild(["app", "img"], [new ReleaseItem("app", Ref("x"))]).ShouldBeNull();
    }
}
