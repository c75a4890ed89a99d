namespace Ferry.Core.Resolving;

/// <summary>An input of a group, with its passed jobs as group job indices ordered by job id (Concourse's order).</summary>
internal sealed class GroupInput
{
    public GroupInput(InputConfig config, int resourceId, int[] jobs, int jobCount, long? pinnedVersionId)
    {
        Config = config;
        ResourceId = resourceId;
        Jobs = jobs;
        HasJob = new bool[jobCount];
        foreach (var j in jobs)
        {
            HasJob[j] = true;
        }
        PinnedVersionId = pinnedVersionId;
    }

    public InputConfig Config { get; }
    public int ResourceId { get; }
    public int[] Jobs { get; }
    public bool[] HasJob { get; }
    public long? PinnedVersionId { get; }
}
