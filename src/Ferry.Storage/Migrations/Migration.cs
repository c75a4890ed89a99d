using System.Text.RegularExpressions;

namespace Ferry.Storage.Migrations;

/// <summary>One numbered SQL script of a dialect (<c>0001_engine.sql</c>).</summary>
internal sealed partial record Migration(int Number, string Name, string Sql)
{
    /// <summary>The scripts embedded under <c>Migrations/&lt;folder&gt;/</c>, in number order.</summary>
    public static IReadOnlyList<Migration> Embedded(string folder)
    {
        var assembly = typeof(Migration).Assembly;
        var prefix = $".Migrations.{folder}.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var at = resource.IndexOf(prefix, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            var file = resource[(at + prefix.Length)..];
            var match = FileName().Match(file);
            if (!match.Success)
            {
                throw new StoreException($"loading migrations: embedded script {file} is not named NNNN_name.sql");
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }
        var duplicate = migrations.GroupBy(m => m.Number).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new StoreException($"loading migrations: number {duplicate.Key} is used by {string.Join(" and ", duplicate.Select(m => m.Name))}");
        }
        return [.. migrations.OrderBy(m => m.Number)];
    }

    [GeneratedRegex(@"^_?(\d+)_([A-Za-z0-9_\-]+)\.sql$")]
    private static partial Regex FileName();
}
