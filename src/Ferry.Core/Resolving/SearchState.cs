namespace Ferry.Core.Resolving;

/// <summary>
/// The part of a group's search state that decides whether the search can still succeed: each input's version and
/// the jobs that vouched for it. Two equal states have the same outcome, so a failed one is a dead end for good.
/// </summary>
internal readonly struct SearchState : IEquatable<SearchState>
{
    private readonly long[] _parts;
    private readonly int _hash;

    public SearchState(Candidate?[] candidates)
    {
        var parts = new List<long>(candidates.Length * 2);
        foreach (var c in candidates)
        {
            if (c is null)
            {
                parts.Add(long.MinValue);
                continue;
            }
            parts.Add(c.VersionId);
            foreach (var word in c.VouchedBy)
            {
                parts.Add((long)word);
            }
        }
        _parts = [.. parts];
        var hash = new HashCode();
        foreach (var p in _parts)
        {
            hash.Add(p);
        }
        _hash = hash.ToHashCode();
    }

    public bool Equals(SearchState other) => _hash == other._hash && _parts.AsSpan().SequenceEqual(other._parts);
    public override bool Equals(object? obj) => obj is SearchState s && Equals(s);
    public override int GetHashCode() => _hash;
}
