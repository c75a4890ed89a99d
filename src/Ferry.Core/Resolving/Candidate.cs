namespace Ferry.Core.Resolving;

/// <summary>A version tentatively chosen for one input of a group, with the passed jobs that vouched for it so far.</summary>
internal sealed class Candidate
{
    private Candidate(long versionId, ulong[] vouchedBy, long[] sourceBuildIds, bool hasNext)
    {
        VersionId = versionId;
        VouchedBy = vouchedBy;
        SourceBuildIds = sourceBuildIds;
        HasNext = hasNext;
    }

    public long VersionId { get; }

    /// <summary>Bit per group job index.</summary>
    public ulong[] VouchedBy { get; }

    public long[] SourceBuildIds { get; }
    public bool HasNext { get; }

    public bool IsVouchedBy(int job) => (VouchedBy[job >> 6] & (1UL << (job & 63))) != 0;

    /// <summary>A new candidate: <paramref name="previous"/>'s vouchers plus <paramref name="job"/> through <paramref name="buildId"/>.</summary>
    public static Candidate Vouch(Candidate? previous, long versionId, int job, int jobCount, long buildId, bool hasNext)
    {
        var vouched = previous is null ? new ulong[(jobCount + 63) >> 6] : (ulong[])previous.VouchedBy.Clone();
        vouched[job >> 6] |= 1UL << (job & 63);
        long[] sources = previous is null ? [buildId] : [.. previous.SourceBuildIds, buildId];
        return new Candidate(versionId, vouched, sources, hasNext || (previous?.HasNext ?? false));
    }
}
