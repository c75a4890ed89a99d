namespace Ferry.Storage;

/// <summary>A store operation could not be done; the message says what was being done and on what.</summary>
public sealed class StoreException : Exception
{
    public StoreException(string message) : base(message) { }

    public StoreException(string message, Exception inner) : base(message, inner) { }
}
