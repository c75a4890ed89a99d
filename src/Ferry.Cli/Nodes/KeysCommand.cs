using System.CommandLine;
using Ferry.Server;
using Ferry.Storage;
using Ferry.Storage.Keys;

namespace Ferry.Cli.Nodes;

/// <summary>
/// <c>ferry keys rotate</c>: wraps the key ring again with a new master key, straight on the store (like
/// <c>ferry user add</c>), in one transaction. Running nodes keep the keys they unwrapped; restart each with the new key.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = $"The data directory (default: FERRY_DATA, else ./{ServerOptions.DefaultDataDirectory})" };
        var db = new Option<string?>("--db") { Description = "The PostgreSQL store (default: FERRY_DB, else SQLite under --data)" };
        var current = new Option<string?>("--master-key-file") { Description = "The master key the nodes have now (default: FERRY_MASTER_KEY)" };
        var next = new Option<string>("--new-master-key-file") { Description = "The new master key (32 random bytes in base64)", Required = true };
        var rotate = new Command("rotate", "Wrap the database's key ring with a new master key; then restart every node with --master-key-file NEW")
        {
            data, db, current, next,
        };
        rotate.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = ServerOptions.From(parse.GetValue(data), parse.GetValue(db), null) with { MasterKeyFile = parse.GetValue(current) };
            try
            {
                var old = options.MasterKey()
                    ?? throw new StoreException($"the key ring is wrapped by the current master key: give it with --master-key-file or {MasterKey.EnvironmentVariable}");
                var replacement = MasterKey.FromFile(parse.GetValue(next)!);
                await using var store = await StoreFactory.OpenAsync(Path.GetFullPath(options.DataDirectory), options.Connection, TimeProvider.System, cancellation, old);
                var count = await store.RotateMasterKeyAsync(replacement, cancellation);
                await output.WriteLineAsync($"wrapped {count} key ring entries with the new master key (fingerprint {replacement.Fingerprint}, was {old.Fingerprint})");
                await output.WriteLineAsync("nodes running now keep working; start each node from now on with --master-key-file pointing at the new key");
                return ExitCodes.Ok;
            }
            catch (StoreException e)
            {
                await error.WriteLineAsync($"ferry keys rotate: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return new Command("keys", "The key ring of servers that share a database (with a master key)") { rotate };
    }
}
