using Ferry.Engine.Processes;

namespace Ferry.Engine.Containers;

/// <summary>The labels every container Ferry starts carries, so it can be found again (and removed) without Ferry's memory.</summary>
public static class ContainerLabels
{
    /// <summary>Every Ferry container has it (value <c>true</c>).</summary>
    public const string Ferry = "io.ferry";

    /// <summary>The data directory of the server that started it: what tests and operators filter on.</summary>
    public const string Data = "io.ferry.data";

    /// <summary>The <see cref="ContainerRuntime"/> instance that started it: its sentinel removes exactly these.</summary>
    public const string Runtime = "io.ferry.runtime";

    /// <summary>The server process (<c>pid:start</c>), for people reading <c>podman ps</c>.</summary>
    public const string Server = "io.ferry.server";

    /// <summary>The build the container belongs to, when it belongs to one.</summary>
    public const string Build = "io.ferry.build";

    internal static string ServerIdentity => LinuxProcesses.Self;
}
