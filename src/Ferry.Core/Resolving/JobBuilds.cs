namespace Ferry.Core.Resolving;

/// <summary>One job's builds: succeeded ones newest first, with an index from version to the builds that vouch for it.</summary>
internal sealed class JobBuilds
{
    private readonly ResolverBuild[] _succeeded;
    private readonly Dictionary<VersionRef, (int Start, int Count)> _ranksByVersion;
    private readonly int[] _ranks;

    public JobBuilds(List<ResolverBuild> all, List<SnapshotBuildInput> inputs)
    {
        All = all;
        Inputs = inputs;
        _succeeded = all.Where(b => b.Succeeded).ToArray();
        Array.Sort(_succeeded, ResolverBuild.CompareNewestFirst);
        // Postings as slices of one flat array: version -> ranks (ascending) of the builds that vouch for it.
        var counts = new Dictionary<VersionRef, int>();
        foreach (var build in _succeeded)
        {
            foreach (var v in build.Vouches)
            {
                counts[v] = counts.GetValueOrDefault(v) + 1;
            }
        }
        _ranksByVersion = new Dictionary<VersionRef, (int, int)>(counts.Count);
        var offset = 0;
        foreach (var (v, count) in counts)
        {
            _ranksByVersion[v] = (offset, 0);
            offset += count;
        }
        _ranks = new int[offset];
        for (var rank = 0; rank < _succeeded.Length; rank++)
        {
            foreach (var v in _succeeded[rank].Vouches)
            {
                var (start, filled) = _ranksByVersion[v];
                if (filled > 0 && _ranks[start + filled - 1] == rank)
                {
                    continue;
                }
                _ranks[start + filled] = rank;
                _ranksByVersion[v] = (start, filled + 1);
            }
        }
    }

    public static readonly JobBuilds Empty = new([], []);

    /// <summary>Every build of the job, whatever its status.</summary>
    public List<ResolverBuild> All { get; }

    /// <summary>The inputs of every build of the job (its history).</summary>
    public List<SnapshotBuildInput> Inputs { get; }

    public int SucceededCount => _succeeded.Length;

    public IEnumerable<ResolverBuild> Succeeded => _succeeded;

    /// <summary>Succeeded builds newest first, limited to those that vouch for every constraint.</summary>
    public IEnumerable<(ResolverBuild Build, bool HasNext)> NewestFirst(IReadOnlyList<VersionRef>? constraints) =>
        From(0, constraints);

    /// <summary>
    /// For <c>every</c> with passed: the builds newer than <paramref name="lastUsed"/> oldest first, then
    /// <paramref name="lastUsed"/> and older newest first (those constrained). A rerun stands where the build it reruns
    /// stands, so a rerun of the last used build (or another rerun of what it reran) is not newer: it repeats versions
    /// the job already used, and taking it first would hold the job on them instead of moving to the next new one.
    /// </summary>
    public IEnumerable<(ResolverBuild Build, bool HasNext)> UnusedFirst(ResolverBuild lastUsed, IReadOnlyList<VersionRef>? constraints)
    {
        var boundary = FirstAtOrOlder(lastUsed.Place);
        for (var rank = boundary - 1; rank >= 0; rank--)
        {
            yield return (_succeeded[rank], true);
        }
        foreach (var item in From(boundary, constraints))
        {
            yield return item;
        }
    }

    private IEnumerable<(ResolverBuild, bool)> From(int firstRank, IReadOnlyList<VersionRef>? constraints)
    {
        if (constraints is null || constraints.Count == 0)
        {
            for (var rank = firstRank; rank < _succeeded.Length; rank++)
            {
                yield return (_succeeded[rank], false);
            }
            yield break;
        }
        (int Start, int Count) narrowest = (0, int.MaxValue);
        foreach (var c in constraints)
        {
            if (!_ranksByVersion.TryGetValue(c, out var slice))
            {
                yield break;
            }
            if (slice.Count < narrowest.Count)
            {
                narrowest = slice;
            }
        }
        var found = Array.BinarySearch(_ranks, narrowest.Start, narrowest.Count, firstRank);
        var end = narrowest.Start + narrowest.Count;
        for (var i = found < 0 ? ~found : found; i < end; i++)
        {
            var build = _succeeded[_ranks[i]];
            if (VouchesForAll(build, constraints))
            {
                yield return (build, false);
            }
        }
    }

    private static bool VouchesForAll(ResolverBuild build, IReadOnlyList<VersionRef> constraints)
    {
        foreach (var c in constraints)
        {
            if (!build.VouchesFor(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The rank of the first build (newest first) that stands at <paramref name="place"/> or before it.</summary>
    private int FirstAtOrOlder(long place)
    {
        int lo = 0, hi = _succeeded.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_succeeded[mid].Place > place)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
