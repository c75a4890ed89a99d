using Ferry.Core.Validation;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines.Reading;

/// <summary>Reads Ferry's <c>environments:</c> entries.</summary>
internal sealed class EnvironmentReader(DiagnosticBag diagnostics, StepReader steps)
{
    public EnvironmentConfig Read(YamlMapping map, int index)
    {
        var r = new MapReader(map, ListReader.ItemPath("environments", map, index), diagnostics);
        var isProtected = r.Bool("protected");
        var environment = new EnvironmentConfig
        {
            Path = r.Path,
            Location = map.Location,
            Name = r.String("name") ?? "",
            Release = r.Strings("release"),
            From = r.Strings("from"),
            FromPolicy = Choice(r, "from_policy", FromPolicy.All, ("all", FromPolicy.All), ("any", FromPolicy.Any)),
            Promote = Choice(r, "promote", isProtected ? PromoteMode.Manual : PromoteMode.Auto,
                ("auto", PromoteMode.Auto), ("manual", PromoteMode.Manual)),
            Approval = r.Node("approval") is { } approval ? Approval(approval, r.Path + ".approval") : null,
            Variables = r.Object("variables"),
            Deploy = steps.Plan(r.Node("deploy"), r.Path + ".deploy"),
            Verify = steps.Plan(r.Node("verify"), r.Path + ".verify"),
            Instance = r.Node("instance") is { } instance ? Instance(instance, r.Path + ".instance") : null,
            EnvKeys = Choice(r, "env_keys", EnvKeysMode.KeysOnly,
                ("keys-only", EnvKeysMode.KeysOnly), ("merge", EnvKeysMode.Merge), ("none", EnvKeysMode.None)),
            Protected = isProtected,
            ForEach = r.String("for_each"),
            Teardown = steps.Plan(r.Node("teardown"), r.Path + ".teardown"),
            OnFailure = r.Node("on_failure") is YamlScalar { Value: "rollback" } ? null : steps.Hook(r, "on_failure"),
            RollbackOnFailure = r.Node("on_failure") is YamlScalar { Value: "rollback" },
        };
        r.Finish(environment);
        return environment;
    }

    private static T Choice<T>(MapReader r, string key, T fallback, params (string Text, T Value)[] choices)
    {
        var node = r.Node(key);
        if (node is null)
        {
            return fallback;
        }
        foreach (var choice in choices)
        {
            if (node is YamlScalar scalar && scalar.Value == choice.Text)
            {
                return choice.Value;
            }
        }
        r.Error(node, key, $"must be one of {string.Join(", ", choices.Select(c => c.Text))}");
        return fallback;
    }

    private ApprovalConfig? Approval(YamlNode node, string path)
    {
        if (node is not YamlMapping map)
        {
            diagnostics.Error(node.Location, path, $"must be a mapping {{required, from, allow_self}}, not a {node.Describe()}");
            return null;
        }
        var r = new MapReader(map, path, diagnostics);
        var approval = new ApprovalConfig
        {
            Path = path,
            Location = map.Location,
            Required = r.Int("required") ?? 1,
            From = r.Strings("from"),
            AllowSelf = r.Bool("allow_self"),
        };
        r.Finish(approval);
        return approval;
    }

    private InstanceBinding? Instance(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlScalar scalar:
                return new InstanceBinding { Path = path, Location = node.Location, ResourceName = scalar.Value };
            case YamlMapping map:
                var r = new MapReader(map, path, diagnostics);
                var binding = new InstanceBinding
                {
                    Path = path,
                    Location = map.Location,
                    Type = r.String("type") ?? "",
                    Source = r.Object("source") ?? [],
                };
                r.Finish(binding);
                return binding;
            default:
                diagnostics.Error(node.Location, path, "must name a resource or be {type, source}");
                return null;
        }
    }
}
