using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ferry.Tests.LocalServers;

/// <summary>
/// What the tests' local servers (Node-RED, docker-registry) share: a free loopback port, waiting until the started
/// process answers (or failing with its output once it exited or the time is up), and killing it with its directory.
/// </summary>
internal static class LocalServerProcess
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="probe">One request that succeeds once the server answers; an <see cref="HttpRequestException"/> means not yet.</param>
    public static async Task WaitUntilAnsweringAsync(Process process, string name, string where, Func<string> output, Func<Task> probe,
        TimeSpan within, TimeSpan interval)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{name} exited with {process.ExitCode} before answering on {where}:\n{output()}");
            try
            {
                await probe();
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(interval);
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"{name} did not answer on {where} within {within.TotalSeconds:0} s:\n{output()}", e);
            }
        }
    }

    public static async ValueTask StopAsync(Process process, string root)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing; the temp directory is cleaned by the system.
        }
    }
}
