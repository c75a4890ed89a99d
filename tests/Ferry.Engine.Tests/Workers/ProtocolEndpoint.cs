using System.Net;
using System.Text;
using System.Text.Json;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Workers;
using Ferry.Tests.LocalServers;

namespace Ferry.Engine.Tests.Workers;

/// <summary>
/// The servers' side of <see cref="WorkerProtocol"/> over real HTTP on 127.0.0.1, kept to what the protocol says:
/// one build to hand out, events stored by <see cref="WorkerEvents.From"/>, an end taken only with all its events.
/// It can lose answers after doing the work (the connection is cut), refuse the token (401), and ask for an abort, so
/// the worker's retries and idempotent resends are tested against a wire, not a method call.
/// </summary>
internal sealed class ProtocolEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<BuildEvent> _events = [];
    private readonly PlanNode _plan;
    private bool _claimed;
    private int _eventPosts;

    public ProtocolEndpoint(PlanNode plan, IReadOnlyList<string>? secrets = null)
    {
        _plan = plan;
        Secrets = secrets ?? [];
        Url = new Uri($"http://127.0.0.1:{LocalServerProcess.FreePort()}/");
        _listener.Prefixes.Add($"{Url}api/v1/worker/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public IReadOnlyList<string> Secrets { get; }

    /// <summary>Every n-th events call is stored and then its answer is lost (0: never).</summary>
    public int LoseEveryNthEventsAnswer { get; set; }

    public bool Revoked { get; set; }

    public bool AbortRequested { get; set; }

    public WorkerRegistration? Registration { get; private set; }

    public WorkerBuildEnd? End { get; private set; }

    public int EndConflicts { get; private set; }

    public IReadOnlyList<BuildEvent> Events
    {
        get { lock (_gate) return [.. _events]; }
    }

    private Task ServeAsync() => ListenerLoop.ServeAsync(_listener, context =>
    {
        try
        {
            Answer(context);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // the worker went away
        }
        return Task.CompletedTask;
    });

    private void Answer(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath[WorkerProtocol.Prefix.Length..];
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = reader.ReadToEnd();
        lock (_gate)
        {
            if (Revoked || context.Request.Headers["Authorization"] != "Bearer worker-token")
            {
                Reply(context, 401, new { title = "Unauthorized", detail = "the worker token was revoked" });
                return;
            }
            switch (path)
            {
                case "register":
                    Registration = Read<WorkerRegistration>(body);
                    Reply(context, 200, new WorkerRegistered("w1", 1));
                    return;
                case "heartbeat":
                    var running = Read<WorkerHeartbeat>(body).Running;
                    Reply(context, 200, new WorkerHeartbeatReply(AbortRequested ? [.. running] : [], []));
                    return;
                case "claim":
                    if (_claimed)
                    {
                        Reply(context, 204, null);
                        return;
                    }
                    _claimed = true;
                    Reply(context, 200, new WorkerAssignment(1, "p/j #1", PlanJson.Serialize(_plan), [], Secrets,
                        new Dictionary<string, string>(), new Dictionary<string, string> { ["BUILD_ID"] = "1" }));
                    return;
                case "builds/1/events":
                    var batch = Read<WorkerEvents>(body);
                    if (batch.From <= _events.Count)
                        _events.AddRange(batch.Events.Skip((int)(_events.Count - batch.From)));
                    if (LoseEveryNthEventsAnswer > 0 && ++_eventPosts % LoseEveryNthEventsAnswer == 0)
                    {
                        context.Response.Abort();
                        return;
                    }
                    Reply(context, 200, new WorkerEventsReply(_events.Count));
                    return;
                case "builds/1/end":
                    var end = Read<WorkerBuildEnd>(body);
                    if (end.EventCount > _events.Count)
                    {
                        EndConflicts++;
                        Reply(context, 409, new { title = "Conflict", detail = $"the server has {_events.Count} of the build's {end.EventCount} events" });
                        return;
                    }
                    End ??= end;
                    Reply(context, 204, null);
                    return;
                default:
                    Reply(context, 404, new { title = "Not Found", detail = path });
                    return;
            }
        }
    }

    private static T Read<T>(string body) => JsonSerializer.Deserialize<T>(body, WorkerProtocol.Json)!;

    private static void Reply(HttpListenerContext context, int status, object? body)
    {
        context.Response.StatusCode = status;
        if (body is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), WorkerProtocol.Json);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            context.Response.OutputStream.Write(bytes);
        }
        context.Response.Close();
    }

    public void Dispose() => _listener.Close();
}
