using System.Net;

namespace Ferry.Tests.LocalServers;

/// <summary>
/// The accept loop of a test's own small HTTP server (an <see cref="HttpListener"/> on 127.0.0.1): each request is
/// answered in turn until the listener is closed, which ends the loop.
/// </summary>
internal static class ListenerLoop
{
    public static async Task ServeAsync(HttpListener listener, Func<HttpListenerContext, Task> answer)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            await answer(context);
        }
    }
}
