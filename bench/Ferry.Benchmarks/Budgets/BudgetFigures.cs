namespace Ferry.Benchmarks.Budgets;

/// <summary>
/// What the figure modes measured in this run, kept for <c>check</c>. Each mode reports its budgeted figures here
/// as well as printing its own table, so one run of <c>check</c> can set them side by side.
/// </summary>
internal static class BudgetFigures
{
    private static readonly List<BudgetFigure> Measured = [];
    private static readonly Lock Gate = new();

    public static void AtMost(string budget, string measure, double value, string unit, double limit) =>
        Add(new BudgetFigure(budget, measure, value, unit, limit, AtLeast: false));

    public static void AtLeast(string budget, string measure, double value, string unit, double limit) =>
        Add(new BudgetFigure(budget, measure, value, unit, limit, AtLeast: true));

    /// <summary>The figures reported since <paramref name="from"/> (a count taken before a mode ran).</summary>
    public static IReadOnlyList<BudgetFigure> Since(int from)
    {
        lock (Gate)
            return Measured.Skip(from).ToList();
    }

    public static int Count
    {
        get
        {
            lock (Gate)
                return Measured.Count;
        }
    }

    private static void Add(BudgetFigure figure)
    {
        lock (Gate)
            Measured.Add(figure);
    }
}
