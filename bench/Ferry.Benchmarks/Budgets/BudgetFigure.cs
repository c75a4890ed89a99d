using System.Globalization;

namespace Ferry.Benchmarks.Budgets;

/// <summary>
/// One measured figure against its budget (DESIGN.md "Performance budgets"). A figure is met when it is at most
/// (or, for throughput, at least) its limit.
/// </summary>
internal sealed record BudgetFigure(string Budget, string Measure, double Value, string Unit, double Limit, bool AtLeast)
{
    public bool Met => AtLeast ? Value >= Limit : Value <= Limit;

    public string Shown => Format(Value);

    public string LimitShown => (AtLeast ? "at least " : "at most ") + Format(Limit);

    private string Format(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {Unit}").TrimEnd();
}
