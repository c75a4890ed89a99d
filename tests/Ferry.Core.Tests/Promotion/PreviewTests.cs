using Ferry.Core.Promotion;

namespace Ferry.Core.Tests.Promotion;

public sealed class PreviewTests
{
    private static ReleaseItem Item(string resource, string reference) => new(resource, new Dictionary<string, string> { ["ref"] = reference });

    [Fact]
    public void Build_ListsChangedVersionsAndMissingKeys_WhenComparedToCurrent()
    {
        var current = Release.Create(Item("app", "a1"), Item("cfg", "c1"), Item("old", "o1"));
        var target = Release.Create(Item("app", "a2"), Item("cfg", "c1"), Item("img", "i1"));

        var preview = PromotionPreview.Build("staging", "r5", target, "r4", current,
            [new VariableKey("API_URL"), new VariableKey("TOKEN"), new VariableKey("LOG_LEVEL")], new HashSet<string> { "API_URL" });

        preview.Changes.Select(c => c.Resource).ShouldBe(["app", "img", "old"]);
        preview.Changes[0].From!["ref"].ShouldBe("a1");
        preview.Changes[0].To!["ref"].ShouldBe("a2");
        preview.Changes[1].From.ShouldBeNull();
        preview.Changes[2].To.ShouldBeNull();
        preview.KeysWithoutValue.ShouldBe(["LOG_LEVEL", "TOKEN"]);
        preview.Refusal.ShouldBeNull();
    }

    [Fact]
    public void Build_RefusesNamingKey_WhenRequiredKeyIsEmpty()
    {
        var preview = PromotionPreview.Build("production", "r5", Release.Create(Item("app", "a")), null, null,
            [new VariableKey("DB_URL", Required: true), new VariableKey("API_URL")], new HashSet<string>());

        preview.Changes.ShouldHaveSingleItem().From.ShouldBeNull();
        preview.Refusal!.Kind.ShouldBe(RefusalKind.RequiredVariableEmpty);
        preview.Refusal.Message.ShouldBe("r5 cannot be promoted into production: the required variable DB_URL has no value there.");
    }
}
