using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Ferry.Core.Pipelines;
using Ferry.Core.Validation;

namespace Ferry.Core.Tests.Yaml;

/// <summary>
/// Real pipelines, damaged at random (lines deleted or duplicated, characters swapped or inserted, the file cut short):
/// loading never throws, and every problem it reports is a located diagnostic.
/// </summary>
public sealed class MutatedCorpusPropertyTests
{
    private enum Kind { DeleteLine, DuplicateLine, SwapCharacters, InsertCharacter, Truncate }

    private sealed record Mutation(Kind Kind, int Position, int Other, char Character);

    private sealed record Case(int File, IReadOnlyList<Mutation> Mutations)
    {
        public override string ToString() =>
            $"{Path.GetFileName(Files[File].Path)}: {string.Join(", ", Mutations.Select(m => $"{m.Kind}@{m.Position}/{m.Other} '{m.Character}'"))}";
    }

    private static readonly (string Path, string Text)[] Files =
        Corpus.PipelineFiles().Select(path => (path, File.ReadAllText(path))).ToArray();

    /// <summary>Characters that mean something to YAML or to placeholders, plus a NUL and a stray surrogate.</summary>
    private static readonly char[] Interesting = ":-[]{}&*!|>\"'#\t \n%@`?,()<=\\\0\uD800".ToCharArray();

    private static Gen<Mutation> MutationOf(Kind kind) =>
        from position in Gen.Choose(0, int.MaxValue)
        from other in Gen.Choose(0, int.MaxValue)
        from character in Gen.Elements(Interesting)
        select new Mutation(kind, position, other, character);

    private static Arbitrary<Case> Cases(params Kind[] kinds) =>
        (from file in Gen.Choose(0, Files.Length - 1)
         from mutations in Gen.Elements(kinds).SelectMany(MutationOf).ListOf().Where(m => m.Count is > 0 and <= 6)
         select new Case(file, mutations.ToList())).ToArbitrary();

    private static string Apply(string text, IEnumerable<Mutation> mutations)
    {
        foreach (var m in mutations)
        {
            text = m.Kind switch
            {
                Kind.DeleteLine or Kind.DuplicateLine => EditLine(text, m),
                Kind.SwapCharacters when text.Length > 1 => Swap(text, m.Position % text.Length, m.Other % text.Length),
                Kind.InsertCharacter => text.Insert(m.Position % (text.Length + 1), m.Character.ToString()),
                Kind.Truncate => text[..(m.Position % (text.Length + 1))],
                _ => text,
            };
        }
        return text;
    }

    private static string EditLine(string text, Mutation m)
    {
        var lines = text.Split('\n').ToList();
        var index = m.Position % lines.Count;
        if (m.Kind == Kind.DeleteLine)
        {
            lines.RemoveAt(index);
        }
        else
        {
            lines.Insert(m.Other % (lines.Count + 1), lines[index]);
        }
        return string.Join('\n', lines);
    }

    private static string Swap(string text, int a, int b)
    {
        var chars = new StringBuilder(text);
        (chars[a], chars[b]) = (chars[b], chars[a]);
        return chars.ToString();
    }

    /// <summary>Throws (failing the property with the case) when loading throws or reports an unlocated finding.</summary>
    private static bool LoadsWithLocatedDiagnostics(Case c)
    {
        var name = Path.GetFileName(Files[c.File].Path);
        var result = PipelineLoader.Load(Apply(Files[c.File].Text, c.Mutations), name);
        foreach (var d in result.Errors.Concat(result.Warnings))
        {
            if (d.Location.File != name || d.Location.Line < 1 || d.Location.Column < 1 || string.IsNullOrWhiteSpace(d.Message))
            {
                throw new InvalidOperationException($"unlocated {d.Severity}: '{d}' for {c}");
            }
        }
        if (result.Pipeline is null && result.Errors.Count == 0)
        {
            throw new InvalidOperationException($"no pipeline and no error for {c}");
        }
        return result.Errors.All(e => e.Severity == DiagnosticSeverity.Error);
    }

    private static void Check(int runs, params Kind[] kinds) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(runs), Prop.ForAll(Cases(kinds), LoadsWithLocatedDiagnostics));

    [Fact]
    public void Load_NeverThrows_WhenCorpusLinesAreDeletedOrDuplicated() => Check(200, Kind.DeleteLine, Kind.DuplicateLine);

    [Fact]
    public void Load_NeverThrows_WhenCorpusCharactersAreSwappedOrInserted() => Check(200, Kind.SwapCharacters, Kind.InsertCharacter);

    [Fact]
    public void Load_NeverThrows_WhenCorpusFileIsTruncated() => Check(150, Kind.Truncate);

    [Fact]
    public void Load_NeverThrows_WhenCorpusMutationsAreMixed() => Check(200, Enum.GetValues<Kind>());

    [Fact]
    public void Mutations_ChangeTheFile_SoThePropertyTestsSomething()
    {
        var text = Files[0].Text;

        Apply(text, [new Mutation(Kind.DeleteLine, 3, 0, ' ')]).Split('\n').Length.ShouldBe(text.Split('\n').Length - 1);
        Apply(text, [new Mutation(Kind.DuplicateLine, 3, 4, ' ')]).Split('\n').Length.ShouldBe(text.Split('\n').Length + 1);
        Apply(text, [new Mutation(Kind.Truncate, 10, 0, ' ')]).ShouldBe(text[..10]);
        Apply(text, [new Mutation(Kind.InsertCharacter, 0, 0, '[')]).ShouldBe("[" + text);
        // A damaged corpus file really is reported as broken, at a place inside it.
        var broken = PipelineLoader.Load(Apply(text, [new Mutation(Kind.InsertCharacter, 0, 0, '[')]), "x.yml");
        broken.IsValid.ShouldBeFalse();
        broken.Errors[0].Location.Line.ShouldBeGreaterThanOrEqualTo(1);
    }
}
