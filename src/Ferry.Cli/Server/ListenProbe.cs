using System.Net;
using System.Net.Sockets;

namespace Ferry.Cli.Server;

/// <summary>Whether another process already listens on the server's address, asked by binding it for a moment.</summary>
internal static class ListenProbe
{
    public static bool InUse(Uri listen)
    {
        var addresses = listen.Host switch
        {
            "localhost" => [IPAddress.Loopback],
            "*" or "+" or "0.0.0.0" => [IPAddress.Any],
            var host when IPAddress.TryParse(host.Trim('[', ']'), out var ip) => [ip],
            // A DNS name: Kestrel resolves it; its own bind error is caught later.
            _ => Array.Empty<IPAddress>(),
        };
        foreach (var address in addresses)
        {
            try
            {
                using var listener = new TcpListener(address, listen.Port);
                listener.Start();
                listener.Stop();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return true;
            }
        }
        return false;
    }
}
