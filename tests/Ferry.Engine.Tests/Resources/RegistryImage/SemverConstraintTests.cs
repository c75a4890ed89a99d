using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

public sealed class SemverConstraintTests
{
    [Theory]
    [InlineData("~1.2.x", "1.2.0", true)]
    [InlineData("~1.2.x", "1.2.9", true)]
    [InlineData("~1.2.x", "1.3.0", false)]
    [InlineData("~1.2.3", "1.2.2", false)]
    [InlineData("~1", "1.9.0", true)]
    [InlineData("~1", "2.0.0", false)]
    [InlineData("^1.2", "1.9.9", true)]
    [InlineData("^1.2", "2.0.0", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData(">= 1.2 < 3.0.0 || >= 4.2.3", "2.5.0", true)]
    [InlineData(">= 1.2 < 3.0.0 || >= 4.2.3", "3.1.0", false)]
    [InlineData(">= 1.2 < 3.0.0 || >= 4.2.3", "4.2.3", true)]
    [InlineData(">=1.2, <3", "1.1.0", false)]
    [InlineData("1.2 - 1.4.5", "1.4.5", true)]
    [InlineData("1.2 - 1.4.5", "1.4.6", false)]
    [InlineData("1.2.x", "1.2.7", true)]
    [InlineData("!=1.2.x", "1.2.7", false)]
    [InlineData("*", "9.9.9", true)]
    [InlineData(">11", "11.1.0", false)]
    [InlineData(">11", "12.0.0", true)]
    [InlineData(">11.1", "11.1.5", false)]
    [InlineData("<=1.2", "1.2.9", true)]
    [InlineData("< 2", "2.0.0-rc.1", false)]
    [InlineData(">= 2.0.0-rc.0", "2.0.0-rc.1", true)]
    public void Check_MatchesAsMastermindsSemverDoes_ForConstraint(string constraint, string version, bool matches)
    {
        SemverConstraint.Parse(constraint).Check(Semver.TryParse(version)!).ShouldBe(matches);
    }

    [Theory]
    [InlineData(">= ")]
    [InlineData("1.a.3")]
    [InlineData("|| 1.2")]
    public void Parse_ThrowsNamingTheConstraint_WhenItIsNotOne(string constraint)
    {
        Should.Throw<FormatException>(() => SemverConstraint.Parse(constraint)).Message.ShouldContain($"'{constraint}'");
    }

    [Fact]
    public void CompareTo_OrdersByPrecedence_WhenVersionsHavePrereleases()
    {
        string[] tags = ["1.0.0", "1.0.0-rc.1", "1.0.0-alpha", "1.0.0-alpha.10", "1.0.0-alpha.2", "0.9", "v1.1"];

        tags.Select(t => Semver.TryParse(t)!).Order().Select(v => v.Original)
            .ShouldBe(["0.9", "1.0.0-alpha", "1.0.0-alpha.2", "1.0.0-alpha.10", "1.0.0-rc.1", "1.0.0", "v1.1"]);
    }
}
