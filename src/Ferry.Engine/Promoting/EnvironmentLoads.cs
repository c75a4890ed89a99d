using Ferry.Core.Promotion;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>What to load an environment aggregate with, from its settings in the current config.</summary>
internal static class EnvironmentLoads
{
    public static EnvironmentLoad Of(EnvironmentSettings settings, EnvironmentRecord record, params int[] releases) =>
        new(record.Id, settings.Policy, releases);

    /// <summary>An environment no longer in the config: only its open promotions can still be ended.</summary>
    public static EnvironmentLoad Gone(int environmentId, string name) => new(environmentId, new EnvironmentPolicy(name, Auto: false));
}
