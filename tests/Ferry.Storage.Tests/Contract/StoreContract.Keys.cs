using System.Security.Cryptography;
using Ferry.Storage.Keys;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    private static MasterKey NewMasterKey(string source) => MasterKey.Parse(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), source);

    [StoreFact]
    public async Task KeyRing_OpensSecretsOnANodeWithAnotherDataDirectory_WhenBothHaveTheMasterKey()
    {
        var database = await Target.CreateDatabaseAsync();
        var master = NewMasterKey("test key");
        var first = await OpenAsync(database, masterKey: master);
        var setup = await NewChainAsync(first);
        var staging = setup.Environments["staging"].Id;
        await first.SetVariableAsync(staging, "TOKEN", "s3cr3t-value", secret: true, "olga");
        await first.AddProtectionKeyAsync("key-1", "<key id=\"1\"/>");
        await first.AddProtectionKeyAsync("key-1", "<key id=\"other\"/>");

        // Another node: its own data directory (no secrets.key there), the same database and master key.
        var second = await OpenAsync(OtherNode(database, "other-node"), masterKey: master);

        (await second.GetVariableValuesAsync(staging))["TOKEN"].ShouldBe("s3cr3t-value");
        (await second.ListProtectionKeysAsync()).ShouldBe(["<key id=\"1\"/>"]);
        second.HasKeyRing.ShouldBeTrue();
        File.Exists(Path.Combine(database.DataDirectory, "secrets.key")).ShouldBeFalse();
        (await RawColumnAsync(database, "SELECT wrapped FROM key_ring")).ShouldNotContain(w => w!.Contains("key id"));
    }

    [StoreFact]
    public async Task KeyRing_RefusesAnotherMasterKey_AndOpensWithTheRotatedOne()
    {
        var database = await Target.CreateDatabaseAsync();
        var old = NewMasterKey("the old key");
        var store = await OpenAsync(database, masterKey: old);
        var setup = await NewChainAsync(store);
        var staging = setup.Environments["staging"].Id;
        await store.SetVariableAsync(staging, "TOKEN", "s3cr3t-value", secret: true, "olga");
        await store.AddProtectionKeyAsync("key-1", "<key id=\"1\"/>");
        var next = NewMasterKey("the new key");

        (await store.RotateMasterKeyAsync(next)).ShouldBe(2);
        await store.AddProtectionKeyAsync("key-2", "<key id=\"2\"/>");

        var refused = await Should.ThrowAsync<StoreException>(() => OpenAsync(database, masterKey: NewMasterKey("a stranger's key")));
        refused.Message.ShouldContain("does not open with the master key from a stranger's key");
        (await Should.ThrowAsync<StoreException>(() => OpenAsync(database, masterKey: old))).Message.ShouldContain("the old key");
        var rotated = await OpenAsync(OtherNode(database, "rotated"), masterKey: next);
        (await rotated.GetVariableValuesAsync(staging))["TOKEN"].ShouldBe("s3cr3t-value");
        (await rotated.ListProtectionKeysAsync()).ShouldBe(["<key id=\"1\"/>", "<key id=\"2\"/>"]);
    }

    [StoreFact]
    public async Task KeyRing_TakesInTheDataDirectorysKey_WhenAStoreGetsAMasterKeyLater()
    {
        var database = await Target.CreateDatabaseAsync();
        var before = await OpenAsync(database);
        var setup = await NewChainAsync(before);
        var staging = setup.Environments["staging"].Id;
        await before.SetVariableAsync(staging, "TOKEN", "sealed-with-the-file-key", secret: true, "olga");
        var master = NewMasterKey("test key");

        await OpenAsync(database, masterKey: master);
        var elsewhere = await OpenAsync(OtherNode(database, "other-node"), masterKey: master);

        (await elsewhere.GetVariableValuesAsync(staging))["TOKEN"].ShouldBe("sealed-with-the-file-key");
    }

    [StoreFact]
    public async Task KeyRing_IsAbsent_WhenTheStoreHasNoMasterKey()
    {
        var store = await OpenFreshAsync();

        store.HasKeyRing.ShouldBeFalse();
        (await Should.ThrowAsync<StoreException>(() => store.ListProtectionKeysAsync())).Message.ShouldContain("--master-key-file");
    }

    /// <summary>Another node's view of the database: on PostgreSQL a data directory of its own; SQLite has one server.</summary>
    private static TargetDatabase OtherNode(TargetDatabase database, string name) =>
        database.Connection is null ? database : database with { DataDirectory = Path.Combine(database.DataDirectory, name) };
}
