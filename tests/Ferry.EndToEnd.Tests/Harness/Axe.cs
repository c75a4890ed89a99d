using System.Text.Json;
using Microsoft.Playwright;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>
/// axe-core (npm, pinned in test.sh, installed into .tools/axe-core) run inside the page under test: the accessibility
/// check of issue 13. Only violations of impact serious or critical fail a test; the others are advice.
/// </summary>
internal static class Axe
{
    /// <summary>axe.min.js: FERRY_TEST_AXE, else the one ./test.sh installs under .tools.</summary>
    public static string? Script
    {
        get
        {
            if (Environment.GetEnvironmentVariable("FERRY_TEST_AXE") is { Length: > 0 } configured)
                return configured;
            var path = System.IO.Path.Combine(RepositoryRoot.Path, ".tools", "axe-core", "node_modules", "axe-core", "axe.min.js");
            return File.Exists(path) ? path : null;
        }
    }

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the tests must run: axe-core is there, or this is CI (where they then fail).</summary>
    public static string? SkipReason => Script is null && !OnCi
        ? "axe-core is not installed (FERRY_TEST_AXE unset, none under .tools/axe-core; ./test.sh installs it; on CI these tests fail instead)"
        : null;

    /// <summary>The page's serious and critical violations, one line each: rule, impact and the selectors of every node.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        var script = Script ?? throw new InvalidOperationException("axe-core is not installed and CI=true requires the accessibility tests to run: run ./test.sh or set FERRY_TEST_AXE");
        // Evaluated, not added as a <script>: the pages' Content-Security-Policy (script-src 'self') refuses inline scripts,
        // and the check must see the page as it is served.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
            (await page.EvaluateAsync<string>(await File.ReadAllTextAsync(script) + "\n;typeof window.axe")).ShouldBe("object");
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')) })));
            }
            """);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()}: "
                + string.Join(", ", v.GetProperty("targets").EnumerateArray().Select(t => t.GetString())))
            .ToList();
    }
}
