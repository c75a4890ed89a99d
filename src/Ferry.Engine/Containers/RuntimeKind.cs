namespace Ferry.Engine.Containers;

/// <summary><c>ferry server --runtime</c>: where tasks that name an image and resource types that are images run.</summary>
public enum RuntimeKind
{
    /// <summary>Containers when podman works here (probed once at start), processes otherwise.</summary>
    Auto,

    /// <summary>Containers, or the server does not start.</summary>
    Container,

    /// <summary>Processes only: a task that names an image fails unless the server allows it on the host.</summary>
    Process,
}
