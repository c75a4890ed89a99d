namespace Ferry.Core.Resolving;

/// <summary>One job's builds: succeeded ones newest first, with an index from version to the builds that vouch for it.</summary>
internal sealed class JobBuilds
{
    private readonly BuildRecord[] _succeeded;
    private readonly Dictionary<VersionRef, int[]> _ranksByVersion;

    public JobBuilds(List<BuildRecord> all)
    {
        All = all;
        _succeeded = all.Where(b => b.Succeeded).ToArray();
        Array.Sort(_succeeded, BuildRecord.CompareNewestFirst);
        var ranks = new Dictionary<VersionRef, List<int>>();
        for (var rank = 0; rank < _succeeded.Length; rank++)
        {
            foreach (var v in _succeeded[rank].Vouches)
            {
                if (!ranks.TryGetValue(v, out var list))
                {
                    ranks[v] = list = [];
                }
                if (list.Count == 0 || list[^1] != rank)
                {
                    list.Add(rank);
                }
            }
        }
        _ranksByVersion = ranks.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    public static readonly JobBuilds Empty = new([]);

    /// <summary>Every build of the job, whatever its status.</summary>
    public List<BuildRecord> All { get; }

    public int SucceededCount => _succeeded.Length;

    public IEnumerable<BuildRecord> Succeeded => _succeeded;

    /// <summary>Succeeded builds newest first, limited to those that vouch for every constraint.</summary>
    public IEnumerable<(BuildRecord Build, bool HasNext)> NewestFirst(IReadOnlyList<VersionRef>? constraints) =>
        From(0, constraints);

    /// <summary>
    /// For <c>every</c> with passed: the builds newer than <paramref name="lastUsed"/> oldest first, then
    /// <paramref name="lastUsed"/> and older newest first (those constrained).
    /// </summary>
    public IEnumerable<(BuildRecord Build, bool HasNext)> UnusedFirst(long lastUsedId, long? lastUsedRerunOf, IReadOnlyList<VersionRef>? constraints)
    {
        var boundary = FirstAtOrOlder(lastUsedRerunOf ?? lastUsedId, lastUsedId);
        for (var rank = boundary - 1; rank >= 0; rank--)
        {
            yield return (_succeeded[rank], true);
        }
        foreach (var item in From(boundary, constraints))
        {
            yield return item;
        }
    }

    private IEnumerable<(BuildRecord, bool)> From(int firstRank, IReadOnlyList<VersionRef>? constraints)
    {
        if (constraints is null || constraints.Count == 0)
        {
            for (var rank = firstRank; rank < _succeeded.Length; rank++)
            {
                yield return (_succeeded[rank], false);
            }
            yield break;
        }
        int[]? narrowest = null;
        foreach (var c in constraints)
        {
            if (!_ranksByVersion.TryGetValue(c, out var ranks))
            {
                yield break;
            }
            if (narrowest is null || ranks.Length < narrowest.Length)
            {
                narrowest = ranks;
            }
        }
        var start = Array.BinarySearch(narrowest!, firstRank);
        for (var i = start < 0 ? ~start : start; i < narrowest!.Length; i++)
        {
            var build = _succeeded[narrowest[i]];
            if (constraints.All(build.VouchesFor))
            {
                yield return (build, false);
            }
        }
    }

    private int FirstAtOrOlder(long place, long id)
    {
        int lo = 0, hi = _succeeded.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var b = _succeeded[mid];
            var newer = b.Place > place || (b.Place == place && b.Id > id);
            if (newer)
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
