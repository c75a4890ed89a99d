using System.Text.Json.Nodes;
using Ferry.Core.Plans;
using Ferry.Core.Promotion;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Running;
using Ferry.Server.Api;
using Ferry.Storage;

namespace Ferry.Server.Pipelines;

/// <summary>Gives each build a <see cref="BuildPipelineSetter"/> acting for it.</summary>
internal sealed class BuildPipelineSetters(IStore store) : IBuildPipelineSetters
{
    public IPipelineSetter For(BuildRecord build) => new BuildPipelineSetter(store, build);
}

/// <summary>
/// A build's <c>set_pipeline</c> step on the server: reads the file and var files the build produced, checks the config
/// exactly as <c>PUT /pipelines/{p}/config</c> does (<see cref="PipelineSetter.Check"/>), and stores a new config version
/// created by the build (<c>build 4 of ci/self-update</c>) when anything changed, logging the diff. <c>self</c> is the
/// build's own pipeline. Vars as Concourse takes them: <c>vars</c> over the <c>var_files</c>, the first var file over
/// later ones; the pipeline's secret vars (<c>--secret-var</c>, Ferry's credential store) stay under all of them.
/// </summary>
internal sealed class BuildPipelineSetter(IStore store, BuildRecord build) : IPipelineSetter
{
    public async Task<IReadOnlyList<string>> SetAsync(SetPipelinePlan plan, string configPath, IReadOnlyList<string> varFilePaths, CancellationToken cancellation)
    {
        var name = plan.Name == "self"
            ? build.PipelineName ?? throw new PipelineSetException("'self' names the build's own pipeline, and this build has none")
            : plan.Name;
        if (plan.InstanceVars.Count > 0)
            throw new PipelineSetException("instance_vars: instance pipelines are not supported; give the values as vars: and name each pipeline apart (e.g. " + name + "-<value>)");
        // As on Concourse: a build sets pipelines of its own team; the main team's builds may set other teams' too.
        var own = (build.PipelineId is { } id ? await store.GetPipelineByIdAsync(id, cancellation) : null)?.Team ?? PipelineRecord.DefaultTeam;
        var team = plan.Team is { Length: > 0 } named ? named : own;
        if (team != own && own != PipelineRecord.DefaultTeam)
            throw new PipelineSetException($"team: '{team}': a build of team {own} sets pipelines of team {own} only");
        var existing = await store.GetPipelineAsync(name, cancellation);
        if (existing is not null && existing.Team != team)
            throw new PipelineSetException($"pipeline '{name}' belongs to team {existing.Team}, not {team}");
        var current = existing is null ? null : await store.GetPipelineConfigAsync(existing.Id, null, cancellation);
        var request = new SetPipelineRequest(
            await File.ReadAllTextAsync(configPath, cancellation),
            plan.File,
            YamlVars: plan.Vars.ToDictionary(p => p.Key, p => p.Value?.ToJsonString() ?? "null"),
            // PipelineVars lets later files win; Concourse's set_pipeline lets the first one win.
            VarFiles: [.. (await Task.WhenAll(varFilePaths.Select(async (path, i) => new VarFile(plan.VarFiles[i], await File.ReadAllTextAsync(path, cancellation))))).Reverse()]);
        PipelineSetter.Checked config;
        try
        {
            config = PipelineSetter.Check(name, request);
        }
        catch (ApiException e)
        {
            throw new PipelineSetException(Describe(e, plan.File), e);
        }
        // A build is nobody's owner: taking protection away from an environment needs a person with the owner role.
        var weakened = existing is null || current is null
            ? []
            : ProtectionChanges.Weakened(PipelineConfigs.Load(name, current.Yaml, current.Vars), config.Config);
        if (weakened.Count > 0)
            throw new PipelineSetException($"{plan.File} weakens the protection of pipeline '{name}', which needs an owner of team {team} " +
                $"(ferry set-pipeline): {string.Join("; ", weakened)}");
        var secretVars = CarrySecrets(current, config.Vars);
        var diff = ConfigDiff.Of(current?.Yaml, current?.Vars, config.Yaml, config.Vars);
        var lines = config.Warnings.Select(w => $"warning: {Located(w, plan.File)}").ToList();
        if (current is not null && diff.Count == 0)
        {
            lines.Add($"no changes to pipeline '{name}': it stays at config version {current.Number}");
            return lines;
        }
        var createdBy = build.JobName is { } job ? $"build {build.Name} of {build.PipelineName}/{job}" : $"build {build.Id} of {build.PipelineName}";
        var stored = await store.SetPipelineAsync(PipelineSetter.ToInput(name, config, pausedIfNew: false, createdBy, secretVars) with { Team = team },
            cancellation);
        lines.AddRange(diff);
        lines.Add(current is null
            ? $"created pipeline '{name}' at config version {stored.Number}"
            : $"set pipeline '{name}': config version {current.Number} -> {stored.Number}");
        return lines;
    }

    /// <summary>The secret vars of the current config that the step does not set: kept, with their values, as a credential store's would be.</summary>
    private static IReadOnlyList<string> CarrySecrets(PipelineConfigVersion? current, JsonObject vars)
    {
        if (current is null)
            return [];
        var carried = new List<string>();
        foreach (var secret in current.SecretVars)
        {
            if (!vars.ContainsKey(secret) && current.Vars.TryGetPropertyValue(secret, out var value))
                vars[secret] = value?.DeepClone();
            if (vars.ContainsKey(secret) && JsonNode.DeepEquals(vars[secret], current.Vars[secret]))
                carried.Add(secret);
        }
        return carried;
    }

    private static string Describe(ApiException e, string file)
    {
        if (e.Errors is not { Count: > 0 } errors)
            return e.Message;
        var located = errors.Select(error => Located(error, file)).ToList();
        return $"{file} is not a valid pipeline ({errors.Count} error{(errors.Count == 1 ? "" : "s")}): {located[0]}" +
               string.Concat(located.Skip(1).Take(19).Select(l => "\n  " + l)) + (errors.Count > 20 ? $"\n  … and {errors.Count - 20} more" : "");
    }

    /// <summary><c>ci/pipeline.yml:12:5 jobs.unit.plan[0].get: …</c>: the step's path to the file, not only its name.</summary>
    private static string Located(ConfigError error, string file)
    {
        var location = error.Location ?? file;
        var name = Path.GetFileName(file);
        if (location.StartsWith(name + ":", StringComparison.Ordinal))
            location = file + location[name.Length..];
        return $"{location} {(error.Path.Length > 0 ? error.Path + ": " : "")}{error.Message}";
    }
}

/// <summary>A set_pipeline step that cannot set its pipeline; the message says why (each config error located).</summary>
internal sealed class PipelineSetException(string message, Exception? inner = null) : Exception(message, inner);
