using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Core.Pipelines.Stages;

/// <summary>A pipeline YAML after a stage edit, with what was done in words (for the audit entry).</summary>
public sealed record StageEditResult(string Yaml, string Summary);

/// <summary>
/// Adds, inserts, moves and removes stages (environments) in a pipeline's YAML by rewriting the <c>from:</c> links of
/// the environments involved: inserting X after A gives X <c>from: [A]</c> and what came from A now comes from X.
/// The text outside the environments touched (comments included) stays as written. The result is not yet checked:
/// the caller loads it with the pipeline loader before it keeps it.
/// </summary>
public static partial class StageEdits
{
    public static StageEditResult Add(string yaml, NewStage stage, StagePosition position)
    {
        var doc = StageDocument.Parse(yaml);
        RequireName(stage.Name);
        if (doc.Find(stage.Name) is not null)
            throw new StageEditException(StageRefusal.Conflict, "name", $"environments: a stage named '{stage.Name}' already exists");
        RequireOnePlace(position);
        if (doc.Stages.Count == 0)
        {
            if (position.After is not null || position.Before is not null)
                throw new StageEditException(StageRefusal.NotFound, position.After is null ? "before" : "after",
                    $"no stage named '{position.After ?? position.Before}': the pipeline has no stages yet");
            // The first stage is the source: its instance's snapshots, checked as a resource, are the releases.
            if (doc.HasResource(stage.SourceResource))
                throw new StageEditException(StageRefusal.Conflict, "name",
                    $"resources: the first stage's flows would be the resource '{stage.SourceResource}', and a resource of that name exists; choose another stage name");
            doc = doc.AddResource(ResourceEntry(stage));
            doc = doc.InsertAfter(null, SourceEntry(stage));
            return new StageEditResult(doc.Text, $"added stage {stage.Name} as the source of releases");
        }
        doc = Insert(doc, stage.Name, Entry(stage, []), position);
        return new StageEditResult(doc.Text, $"added stage {stage.Name} {Placed(doc, stage.Name, position)}");
    }

    public static StageEditResult Move(string yaml, string name, StagePosition position)
    {
        var doc = StageDocument.Parse(yaml);
        var stage = RequireStage(doc, name, "stage");
        RequireOnePlace(position);
        if (position.After is null && position.Before is null)
            throw new StageEditException(StageRefusal.Invalid, "after", $"moving stage '{name}': say where, after or before which stage");
        if (IsSource(doc, stage))
            throw new StageEditException(StageRefusal.Conflict, "stage",
                $"stage '{name}' is the source stage: releases come from its instance, so it stays first; move the others around it");
        if ((position.After ?? position.Before) == name)
            throw new StageEditException(StageRefusal.Invalid, position.After is null ? "before" : "after", $"stage '{name}' cannot go {position} itself");
        RequireStage(doc, position.After ?? position.Before!, position.After is null ? "before" : "after");
        doc = Detach(doc, stage);
        var entry = doc.EntryText(name);
        doc = Insert(doc.Remove(name), name, entry, position);
        return new StageEditResult(doc.Text, $"moved stage {name} {Placed(doc, name, position)}");
    }

    public static StageEditResult Remove(string yaml, string name)
    {
        var doc = StageDocument.Parse(yaml);
        var stage = RequireStage(doc, name, "stage");
        if (IsSource(doc, stage))
        {
            var next = Successors(doc, name).Select(s => s.Name).ToList();
            if (next.Count > 0)
                throw new StageEditException(StageRefusal.Conflict, "stage",
                    $"stage '{name}' is the source stage of {string.Join(", ", next)}: releases come from its instance; remove {string.Join(", ", next)} first");
        }
        var relinked = Successors(doc, name).Select(s => s.Name).ToList();
        doc = Detach(doc, stage);
        var removed = doc.Find(name)!;
        // The source's own resource goes with it when nothing else names it (its versions stay in the store, inactive).
        var resource = removed.InstanceResource is { } r && doc.HasResource(r) && !doc.ResourceUsedOutside(r, removed) ? r : null;
        doc = doc.Remove(name);
        if (resource is not null)
            doc = doc.RemoveResource(resource);
        // Relinked, never left dangling: the summary says which stages now come from where.
        var links = relinked.Select(r => $"{r} now comes from {string.Join(", ", doc.Find(r)!.From)}");
        return new StageEditResult(doc.Text, $"removed stage {name}" + (resource is null ? "" : $" and its resource {resource}")
            + string.Concat(links.Select(l => "; " + l)));
    }

    /// <summary>The stage and its position: after or before a named one, else after the last stage nothing comes from.</summary>
    private static StageDocument Insert(StageDocument doc, string name, string entry, StagePosition position)
    {
        if (position.Before is { } before)
        {
            var next = RequireStage(doc, before, "before");
            if (IsSource(doc, next))
                throw new StageEditException(StageRefusal.Conflict, "before",
                    $"stage '{before}' is the source stage: releases come from its instance, so no stage can go before it");
            doc = doc.InsertBefore(before, entry).SetFrom(name, next.From).SetFrom(before, [name]);
            return doc;
        }
        var after = position.After is { } a ? RequireStage(doc, a, "after") : Last(doc);
        var successors = Successors(doc, after.Name).ToList();
        doc = doc.InsertAfter(after.Name, entry).SetFrom(name, [after.Name]);
        foreach (var successor in successors)
            doc = doc.SetFrom(successor.Name, [.. successor.From.Select(f => f == after.Name ? name : f)]);
        return doc;
    }

    /// <summary>Takes a stage out of the links: what came from it now comes from what it came from.</summary>
    private static StageDocument Detach(StageDocument doc, StageEntry stage)
    {
        foreach (var successor in Successors(doc, stage.Name).ToList())
            doc = doc.SetFrom(successor.Name, [.. successor.From.SelectMany(f => f == stage.Name ? stage.From : [f]).Distinct(StringComparer.Ordinal)]);
        return doc;
    }

    private static IEnumerable<StageEntry> Successors(StageDocument doc, string name) => doc.Stages.Where(s => s.From.Contains(name));

    /// <summary>Releases enter here: bound to an instance resource, or coming from no other stage (from jobs).</summary>
    private static bool IsSource(StageDocument doc, StageEntry stage) =>
        stage.InstanceResource is not null || !stage.From.Any(f => doc.Find(f) is not null);

    /// <summary>The end of the chain: the last stage (in the file's order) that no other stage comes from.</summary>
    private static StageEntry Last(StageDocument doc) => doc.Stages.Last(s => !Successors(doc, s.Name).Any());

    private static string Placed(StageDocument doc, string name, StagePosition position) =>
        position.After is null && position.Before is null ? $"at the end, after {doc.Find(name)!.From.FirstOrDefault()}" : position.ToString();

    private static StageEntry RequireStage(StageDocument doc, string name, string field) =>
        doc.Find(name) ?? throw new StageEditException(StageRefusal.NotFound, field, $"{field}: no stage named '{name}'");

    private static void RequireOnePlace(StagePosition position)
    {
        if (position.After is not null && position.Before is not null)
            throw new StageEditException(StageRefusal.Invalid, "before", "give after or before, not both");
    }

    private static void RequireName(string name)
    {
        if (!StageName().IsMatch(name))
            throw new StageEditException(StageRefusal.Invalid, "name",
                $"stage name '{name}' is not valid: use lower-case letters, digits and '-', starting with a letter (at most 63 characters)");
    }

    private static string Entry(NewStage stage, IReadOnlyList<string> from)
    {
        var text = new StringBuilder();
        text.Append("- name: ").Append(stage.Name).Append('\n');
        text.Append("  from: ").Append(StageDocument.FlowList(from)).Append('\n');
        text.Append("  instance:\n    type: node-red\n    source:\n");
        AppendSource(text, stage, "      ");
        AppendPolicy(text, stage);
        return text.ToString();
    }

    private static string SourceEntry(NewStage stage)
    {
        var text = new StringBuilder();
        text.Append("- name: ").Append(stage.Name).Append('\n');
        text.Append("  instance: ").Append(stage.SourceResource).Append('\n');
        AppendPolicy(text, stage);
        return text.ToString();
    }

    private static string ResourceEntry(NewStage stage)
    {
        var text = new StringBuilder();
        text.Append("- name: ").Append(stage.SourceResource).Append("\n  type: node-red\n  source:\n");
        AppendSource(text, stage, "    ");
        return text.ToString();
    }

    private static void AppendSource(StringBuilder text, NewStage stage, string indent)
    {
        text.Append(indent).Append("url: ").Append(StageDocument.Plain(stage.Url)).Append('\n');
        if (stage.TokenVar is not null && (stage.Username ?? stage.PasswordVar) is not null)
            throw new StageEditException(StageRefusal.Invalid, "username", "username: give either a token or a username and password, not both");
        if ((stage.Username is null) != (stage.PasswordVar is null))
            throw new StageEditException(StageRefusal.Invalid, stage.Username is null ? "username" : "passwordVar",
                "username and password go together: the instance's adminAuth user Ferry logs in as");
        if (stage.TokenVar is { } token)
            text.Append(indent).Append("token: ").Append(Reference(token, "tokenVar")).Append('\n');
        if (stage.Username is { } username)
        {
            text.Append(indent).Append("username: ").Append(StageDocument.Plain(username)).Append('\n');
            text.Append(indent).Append("password: ").Append(Reference(stage.PasswordVar!, "passwordVar")).Append('\n');
        }
    }

    /// <summary>A secret's place in the YAML: only ever a ((var)) reference, its value kept as the pipeline's secret var.</summary>
    private static string Reference(string var, string field) => VarName().IsMatch(var)
        ? "((" + var + "))"
        : throw new StageEditException(StageRefusal.Invalid, field, $"{field}: '{var}' is not a var name (letters, digits, '-', '_', '.')");

    private static void AppendPolicy(StringBuilder text, NewStage stage)
    {
        if (stage.EnvKeys is { } envKeys)
        {
            if (envKeys is not ("keys-only" or "merge" or "none"))
                throw new StageEditException(StageRefusal.Invalid, "envKeys", $"envKeys: '{envKeys}' must be keys-only, merge or none");
            text.Append("  env_keys: ").Append(envKeys).Append('\n');
        }
        if (stage.Promote is { } promote)
        {
            if (promote is not ("auto" or "manual"))
                throw new StageEditException(StageRefusal.Invalid, "promote", $"promote: '{promote}' must be auto or manual");
            text.Append("  promote: ").Append(promote).Append('\n');
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex StageName();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex VarName();
}
