using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Stages;
using Ferry.Core.Pipelines.Steps;
using Ferry.Core.Promotion;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.NodeRed;
using Ferry.Server.Api;
using Ferry.Server.Auth;
using Ferry.Storage;

namespace Ferry.Server.Pipelines;

/// <summary>
/// Stage edits (add, insert, move, remove) as config changes: each rewrites the current config's YAML
/// (<see cref="StageEdits"/>), checks it with the pipeline loader as set-pipeline does, and stores it as a new config
/// version through the same store call, with the same audit entry (<c>config_set</c>, saying what the edit did).
/// A refused edit writes nothing. The API and the web UI both come here.
/// </summary>
internal sealed class StageChanges(IStore store, PipelineConfigs configs)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<StageView>> ListAsync(string pipeline, CancellationToken ct)
    {
        var p = await store.GetPipelineAsync(pipeline, ct) ?? throw ApiException.NotFound($"pipeline '{pipeline}' not found");
        var current = await store.GetPipelineConfigAsync(p.Id, null, ct);
        return current is null ? [] : Views(current.Yaml);
    }

    public async Task<StageChange> AddAsync(Access access, string pipeline, AddStageRequest request, bool dryRun, CancellationToken ct)
    {
        var name = request.Name?.Trim() ?? "";
        var url = request.Url?.Trim() ?? "";
        if (name.Length == 0)
            throw ApiException.BadRequest("name", "a stage needs a name");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw ApiException.BadRequest("url", $"url: '{url}' is not an http(s) URL of a Node-RED instance's Admin API");
        var token = Secret.Of(request.Token, request.TokenVar, name + "-token", "tokenVar", "token", "--token-stdin");
        var username = Blank(request.Username);
        var password = Secret.Of(request.Password, request.PasswordVar, name + "-password", "passwordVar", "password", "--password-stdin");
        if (username is not null && password.Var is null)
            throw ApiException.BadRequest("password", $"password: the adminAuth user {username} needs its password (or passwordVar, a var the pipeline has)");
        var stage = new NewStage(name, url, token.Var, Blank(request.EnvKeys), Blank(request.Promote), username, password.Var);
        var position = new StagePosition(Blank(request.After), Blank(request.Before));
        return await ApplyAsync(access, pipeline, dryRun, yaml => StageEdits.Add(yaml, stage, position), async (vars, secretVars) =>
        {
            token.Keep(pipeline, vars, secretVars);
            password.Keep(pipeline, vars, secretVars);
            var source = new JsonObject { ["url"] = url };
            if (token.Var is not null)
                source["token"] = vars[token.Var]?.ToString();
            if (username is not null)
            {
                source["username"] = username;
                source["password"] = vars[password.Var!]?.ToString();
            }
            await ProbeAsync(source, ct);
        }, ct);
    }

    /// <summary>
    /// A token or password for the new stage: its value (kept as a secret var: encrypted, redacted, never returned) or
    /// the name of a var the pipeline already has. The YAML only ever gets <c>((Var))</c>.
    /// </summary>
    private sealed record Secret(string? Var, string? Value, string VarField, string Option)
    {
        public static Secret Of(string? value, string? var, string defaultVar, string varField, string valueField, string option)
        {
            var given = string.IsNullOrEmpty(value) ? null : value;
            var name = Blank(var) ?? (given is null ? null : defaultVar);
            return new Secret(name, given, varField, option);
        }

        // A record prints its members: never the value.
        public override string ToString() => Var ?? "";

        public void Keep(string pipeline, JsonObject vars, List<string> secretVars)
        {
            if (Var is null)
                return;
            if (Value is not null)
            {
                vars[Var] = Value;
                if (!secretVars.Contains(Var))
                    secretVars.Add(Var);
            }
            else if (vars[Var] is null)
            {
                throw ApiException.BadRequest(VarField,
                    $"{VarField}: pipeline {pipeline} has no var '{Var}': give the value itself (ferry stages add {Option}; it is kept as the " +
                    $"secret var {Var}, never written into the YAML), or set the var first (ferry set-pipeline -p {pipeline} -c FILE -s {Var}=…)");
            }
        }
    }

    public Task<StageChange> MoveAsync(Access access, string pipeline, string stage, MoveStageRequest request, bool dryRun, CancellationToken ct) =>
        ApplyAsync(access, pipeline, dryRun, yaml => StageEdits.Move(yaml, stage, new StagePosition(Blank(request.After), Blank(request.Before))), null, ct);

    public Task<StageChange> RemoveAsync(Access access, string pipeline, string stage, bool dryRun, CancellationToken ct) =>
        ApplyAsync(access, pipeline, dryRun, yaml => StageEdits.Remove(yaml, stage), null, ct);

    /// <param name="dryRun">Check and diff only: the preview the CLI and the UI show before the edit is confirmed.</param>
    /// <param name="prepare">Adds vars the edit needs and confirms what it binds to, before anything is stored.</param>
    private async Task<StageChange> ApplyAsync(Access access, string pipeline, bool dryRun, Func<string, StageEditResult> edit,
        Func<JsonObject, List<string>, Task>? prepare, CancellationToken ct)
    {
        var p = await store.GetPipelineAsync(pipeline, ct) ?? throw ApiException.NotFound($"pipeline '{pipeline}' not found");
        var seen = await access.PipelineAsync(p, ct) ?? throw ApiException.NotFound($"pipeline '{pipeline}' not found");
        access.Require(seen, Operations.Set);
        var current = await store.GetPipelineConfigAsync(p.Id, null, ct)
            ?? throw new ApiException(StatusCodes.Status409Conflict, $"pipeline '{pipeline}' has no config to edit", "pipeline");
        var before = await CurrentConfigAsync(p, ct);
        RefuseWhenSetByBuild(pipeline, current, before);
        StageEditResult edited;
        try
        {
            edited = edit(current.Yaml);
        }
        catch (StageEditException e)
        {
            throw new ApiException(Status(e.Refusal), e.Message, e.Field);
        }
        var vars = (JsonObject)current.Vars.DeepClone();
        var secretVars = current.SecretVars.ToList();
        if (prepare is not null)
            await prepare(vars, secretVars);
        var config = PipelineSetter.Check(edited.Yaml, PipelineSetter.DefaultFileName, vars);
        var weakened = ProtectionChanges.Weakened(before, config.Config);
        PipelinesApi.RequireOwnerToWeaken(access, pipeline, p.Team, weakened);
        var diff = ConfigDiff.Of(current.Yaml, current.Vars, config.Yaml, config.Vars);
        if (diff.Count == 0)
            return new StageChange(pipeline, edited.Summary + " (nothing changed)", current.Number, current.Number, false, dryRun, [], config.Warnings, Views(current.Yaml));
        if (dryRun)
            return new StageChange(pipeline, edited.Summary, current.Number, current.Number + 1, true, true, diff, config.Warnings, Views(config.Yaml));
        // Two edits at once would each build on the same version; the later one would undo the earlier without a word.
        if ((await store.GetPipelineAsync(pipeline, ct))?.CurrentConfigNumber != current.Number)
            throw new ApiException(StatusCodes.Status409Conflict, $"pipeline '{pipeline}' got a new config version meanwhile; try the edit again", "pipeline");
        var input = PipelineSetter.ToInput(pipeline, config, false, access.Who.Name, secretVars) with
        {
            AuditDetail = edited.Summary + (weakened.Count == 0 ? "" : "; weakens " + string.Join("; ", weakened)),
        };
        var stored = await store.SetPipelineAsync(input, ct);
        return new StageChange(pipeline, edited.Summary, current.Number, stored.Number, true, false, diff, config.Warnings, Views(config.Yaml));
    }

    /// <summary>
    /// A pipeline set from a file by a set_pipeline step gets that file back on the step's next run: an edit here would
    /// be undone without a word. Refused, saying where to make the change instead.
    /// </summary>
    private static void RefuseWhenSetByBuild(string pipeline, PipelineConfigVersion current, PipelineConfig? config)
    {
        if (current.CreatedBy?.StartsWith("build ", StringComparison.Ordinal) == true)
            throw new ApiException(StatusCodes.Status409Conflict,
                $"pipeline '{pipeline}' config version {current.Number} was set by {current.CreatedBy} (a set_pipeline step): a stage edit would be " +
                "overwritten when that step runs again; change the pipeline file it sets instead", "pipeline");
        var self = config?.Jobs.FirstOrDefault(j => j.AllSteps().OfType<SetPipelineStep>().Any(s => s.Name is "self" || s.Name == pipeline));
        if (self is not null)
            throw new ApiException(StatusCodes.Status409Conflict,
                $"pipeline '{pipeline}' sets itself (job {self.Name} has a set_pipeline step for it): a stage edit would be overwritten when that " +
                "step runs again; change the pipeline file it sets instead", "pipeline");
    }

    private static async Task ProbeAsync(JsonObject source, CancellationToken ct)
    {
        var url = source["url"]!.GetValue<string>();
        try
        {
            await NodeRedProbe.ProbeAsync(source, ProbeTimeout, ct);
        }
        catch (ResourceException e)
        {
            // The instance refused the credentials (adminAuth): they are what is wrong, not the URL.
            var refused = e.Message.Contains(" answered 401 ", StringComparison.Ordinal) || e.Message.Contains(" answered 403 ", StringComparison.Ordinal)
                || e.Message.Contains(" refused to log in ", StringComparison.Ordinal);
            var field = !refused ? "url" : source["username"] is not null ? "password" : "token";
            throw ApiException.BadRequest(field, refused
                ? $"{field}: the Node-RED instance at {url} refused Ferry: {e.Message}"
                : $"url: {url} is not a Node-RED Admin API Ferry can use: {e.Message}");
        }
    }

    private async Task<PipelineConfig?> CurrentConfigAsync(PipelineRecord p, CancellationToken ct)
    {
        try
        {
            return await configs.CurrentAsync(p, ct);
        }
        catch (StoredConfigException)
        {
            return null;
        }
    }

    /// <summary>The stages as written, vars left as ((placeholders)) so no var's value is shown.</summary>
    internal static IReadOnlyList<StageView> Views(string yaml)
    {
        var config = PipelineLoader.Load(yaml, PipelineSetter.DefaultFileName, new PipelineLoadOptions()).Pipeline;
        if (config is null)
            return [];
        var names = config.Environments.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        return [.. config.Environments.Select(e => new StageView(
            e.Name,
            e.From,
            Url(config, e),
            e.Instance?.ResourceName is not null || !e.From.Any(names.Contains),
            e.EnvKeys switch { EnvKeysMode.Merge => "merge", EnvKeysMode.None => "none", _ => "keys-only" },
            e.Promote == PromoteMode.Manual ? "manual" : "auto"))];
    }

    private static string? Url(PipelineConfig config, EnvironmentConfig environment)
    {
        var source = environment.Instance switch
        {
            { ResourceName: { } resource } => config.FindResource(resource)?.Source,
            { Source: { } inline } => inline,
            _ => null,
        };
        return source?["url"] is JsonValue url && url.TryGetValue<string>(out var text) ? text : null;
    }

    private static int Status(StageRefusal refusal) => refusal switch
    {
        StageRefusal.NotFound => StatusCodes.Status404NotFound,
        StageRefusal.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
