namespace Ferry.Engine.Resources;

/// <summary>
/// A check, get or put that failed. <see cref="IsRetryable"/> tells the checker whether backing off and trying again
/// can help (network, a git failure, a script that exited non-zero) or whether only a config change can
/// (bad source, unknown type, a type that needs a container engine): Kargo's terminal/retryable split.
/// </summary>
public class ResourceException : Exception
{
    public ResourceException(string message, bool isRetryable, Exception? inner = null)
        : base(message, inner) => IsRetryable = isRetryable;

    public bool IsRetryable { get; }

    public static ResourceException Terminal(string message, Exception? inner = null) => new(message, false, inner);

    public static ResourceException Retryable(string message, Exception? inner = null) => new(message, true, inner);
}

/// <summary>Config that fails its type's schema; always terminal. Each error names the field (<c>source.uri: required</c>).</summary>
public sealed class ResourceConfigException(IReadOnlyList<string> errors)
    : ResourceException(string.Join("; ", errors), isRetryable: false)
{
    public IReadOnlyList<string> Errors { get; } = errors;

    public ResourceConfigException(string error)
        : this([error]) { }
}
