using System.Net;

namespace Ferry.Server.Security;

/// <summary>
/// The <c>Host</c> names a request may carry: the external URL's host and the hosts Ferry listens on. A loopback
/// listener also answers to <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c>; a wildcard listener (<c>0.0.0.0</c>,
/// <c>[::]</c>, <c>*</c>, <c>+</c>) to any IP address and this machine's name. Any other name is what a DNS rebinding
/// page sends (its own name, resolved to this server), so it is refused. Ports are not compared: the listener
/// already chose the port, and a proxy may put another one in front.
/// </summary>
internal sealed class AllowedHosts
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<IPAddress> _addresses = [];
    private bool _anyAddress;

    public static AllowedHosts From(ServerOptions options)
    {
        var allowed = new AllowedHosts();
        foreach (var listen in options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            allowed.AddListener(HostOf(listen));
        }
        if (options.ExternalUrl is { } external)
        {
            allowed.Add(HostOf(external));
        }
        return allowed;
    }

    /// <summary>What the refusal names as accepted, for the one who configures the server.</summary>
    public string Describe()
    {
        var parts = _names.Order(StringComparer.Ordinal).Concat(_addresses.Select(Text).Order(StringComparer.Ordinal)).ToList();
        if (_anyAddress)
        {
            parts.Add("any IP address");
        }
        return string.Join(", ", parts);
    }

    public bool Allows(string host)
    {
        var bare = Unbracket(host);
        if (bare.Length == 0)
        {
            return false;
        }
        if (IPAddress.TryParse(bare, out var address))
        {
            return _anyAddress || _addresses.Contains(Normal(address));
        }
        return _names.Contains(bare.TrimEnd('.'));
    }

    private void AddListener(string host)
    {
        if (host is "*" or "+" or "0.0.0.0" or "::" or "[::]")
        {
            _anyAddress = true;
            _names.Add("localhost");
            _names.Add(Environment.MachineName);
            return;
        }
        Add(host);
        var bare = Unbracket(host);
        if (string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(bare, out var ip) && IPAddress.IsLoopback(ip)))
        {
            _names.Add("localhost");
            _addresses.Add(IPAddress.Loopback);
            _addresses.Add(IPAddress.IPv6Loopback);
        }
    }

    private void Add(string host)
    {
        var bare = Unbracket(host);
        if (IPAddress.TryParse(bare, out var address))
        {
            _addresses.Add(Normal(address));
        }
        else if (bare.Length > 0)
        {
            _names.Add(bare.TrimEnd('.'));
        }
    }

    /// <summary>The host of <c>scheme://host[:port][/path]</c>, also for Kestrel's <c>*</c> and <c>+</c>, which <see cref="Uri"/> rejects.</summary>
    internal static string HostOf(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rest = rest[..slash];
        }
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            rest = rest[(at + 1)..];
        }
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? rest[..(close + 1)] : rest;
        }
        var colon = rest.LastIndexOf(':');
        return colon >= 0 ? rest[..colon] : rest;
    }

    private static string Unbracket(string host) => host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string Text(IPAddress address) => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
