namespace Ferry.Core.Resolving;

/// <summary>A version of a resource, as a build vouches for it.</summary>
internal readonly record struct VersionRef(int ResourceId, long VersionId);

/// <summary>A build with what it vouches for (its outputs, then its inputs, grouped by resource id).</summary>
internal sealed class ResolverBuild
{
    public ResolverBuild(long id, int jobId, bool succeeded, long? rerunOf)
    {
        Id = id;
        JobId = jobId;
        Succeeded = succeeded;
        RerunOf = rerunOf;
    }

    public long Id { get; }
    public int JobId { get; }
    public bool Succeeded { get; }
    public long? RerunOf { get; set; }

    /// <summary>Where the build sorts: a rerun stands at the place of the build it reruns.</summary>
    public long Place => RerunOf ?? Id;

    public VersionRef[] Vouches { get; set; } = [];

    /// <summary>Newest first: by place, then by id (a rerun after the build it reruns).</summary>
    public static int CompareNewestFirst(ResolverBuild a, ResolverBuild b) =>
        a.Place != b.Place ? b.Place.CompareTo(a.Place) : b.Id.CompareTo(a.Id);

    public bool VouchesFor(VersionRef version)
    {
        foreach (var v in Vouches)
        {
            if (v == version)
            {
                return true;
            }
        }
        return false;
    }
}
