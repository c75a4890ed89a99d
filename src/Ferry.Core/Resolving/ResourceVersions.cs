namespace Ferry.Core.Resolving;

/// <summary>One resource's versions in its current scope, sorted by check order.</summary>
internal sealed class ResourceVersions
{
    private readonly long[] _checkOrders;
    private readonly long[] _versionIds;
    private readonly bool[] _disabled;
    private readonly Dictionary<long, int> _positionOf;

    public ResourceVersions(List<SnapshotVersion> versions)
    {
        versions.Sort((a, b) => a.CheckOrder != b.CheckOrder ? a.CheckOrder.CompareTo(b.CheckOrder) : a.VersionId.CompareTo(b.VersionId));
        _checkOrders = new long[versions.Count];
        _versionIds = new long[versions.Count];
        _disabled = new bool[versions.Count];
        _positionOf = new Dictionary<long, int>(versions.Count);
        for (var i = 0; i < versions.Count; i++)
        {
            _checkOrders[i] = versions[i].CheckOrder;
            _versionIds[i] = versions[i].VersionId;
            _disabled[i] = versions[i].Disabled;
            _positionOf[versions[i].VersionId] = i;
        }
    }

    public static readonly ResourceVersions Empty = new([]);

    public int Count => _versionIds.Length;

    public bool Exists(long versionId) => _positionOf.ContainsKey(versionId);

    public bool IsDisabled(long versionId) => _positionOf.TryGetValue(versionId, out var p) && _disabled[p];

    /// <summary>Position in check order, or -1 when the version is not in the current scope.</summary>
    public int PositionOf(long versionId) => _positionOf.TryGetValue(versionId, out var p) ? p : -1;

    public long CheckOrderAt(int position) => _checkOrders[position];

    /// <summary>The highest enabled version, or null.</summary>
    public long? Latest() => HighestEnabledAtOrBelow(Count - 1);

    public long? HighestEnabledAtOrBelow(int position)
    {
        for (var i = position; i >= 0; i--)
        {
            if (!_disabled[i])
            {
                return _versionIds[i];
            }
        }
        return null;
    }

    /// <summary>The first enabled version with a check order above the one at <paramref name="position"/>, and whether another follows it.</summary>
    public (long? Next, bool HasMore) NextEnabledAfter(int position)
    {
        var threshold = _checkOrders[position];
        var start = UpperBound(threshold);
        long? next = null;
        for (var i = start; i < Count; i++)
        {
            if (_disabled[i])
            {
                continue;
            }
            if (next is null)
            {
                next = _versionIds[i];
                continue;
            }
            return (next, true);
        }
        return (next, false);
    }

    private int UpperBound(long checkOrder)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_checkOrders[mid] <= checkOrder)
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
