namespace Ferry.Core.Planning;

/// <summary>
/// What an instance deploy expects the instance to run before it deploys: the snapshot Ferry deployed there last (by
/// content hash and by shape, the hash without environment values). The put refuses to overwrite anything else unless
/// <paramref name="Force"/> (a person forced the promotion over drift).
/// </summary>
/// <param name="Rev">The revision the instance gave that snapshot when Ferry deployed it, when known: an instance still
/// answering it runs that very snapshot (Node-RED's rev is a hash of its flows), so its flows need no hashing.</param>
public sealed record InstanceExpectation(string Snapshot, string Shape, bool Force, string? Rev = null);
