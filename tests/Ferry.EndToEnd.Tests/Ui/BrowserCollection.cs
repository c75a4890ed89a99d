using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>One Chromium for all UI tests (it takes seconds to start here); each test opens its own page and cookies.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    internal Browser Browser { get; private set; } = null!;

    public async Task InitializeAsync() => Browser = await Browser.LaunchAsync();

    public async Task DisposeAsync() => await Browser.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
