using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.Time;

namespace Ferry.Engine.Tests.Resources;

public sealed class TimeResourceTypeTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly ResourceCall Call = new(TextWriter.Null, new Dictionary<string, string>(), Path.GetTempPath());

    private static JsonObject Source(string json) => JsonNode.Parse(json)!.AsObject();

    private static ResourceVersion At(string time) => new(new Dictionary<string, string> { ["time"] = time });

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task CheckAsync_YieldsNewVersion_OnlyWhenIntervalElapsed()
    {
        var clock = new Clock(Utc("2026-03-02T10:00:00Z"));
        var type = new TimeResourceType(clock);
        var source = Source("""{"interval": "1h30m"}""");

        var first = await type.CheckAsync(Call, source, null, CancellationToken.None);
        clock.Now = Utc("2026-03-02T11:29:59Z");
        var early = await type.CheckAsync(Call, source, first[0], CancellationToken.None);
        clock.Now = Utc("2026-03-02T11:30:00Z");
        var due = await type.CheckAsync(Call, source, first[0], CancellationToken.None);

        first.ShouldBe([At("2026-03-02T10:00:00Z")]);
        early.ShouldBe([first[0]]);
        due.ShouldBe([first[0], At("2026-03-02T11:30:00Z")]);
    }

    [Fact]
    public async Task CheckAsync_YieldsOncePerWindow_WhenStartStopInLocation()
    {
        // 8:00 AM–17:00 in New York is 13:00–22:00 UTC in March before DST (UTC-5).
        var clock = new Clock(Utc("2026-03-02T12:59:00Z"));
        var type = new TimeResourceType(clock);
        var source = Source("""{"start": "8:00 AM", "stop": "17:00", "location": "America/New_York"}""");

        var before = await type.CheckAsync(Call, source, null, CancellationToken.None);
        clock.Now = Utc("2026-03-02T13:05:00Z");
        var opened = await type.CheckAsync(Call, source, null, CancellationToken.None);
        clock.Now = Utc("2026-03-02T20:00:00Z");
        var again = await type.CheckAsync(Call, source, opened[0], CancellationToken.None);
        clock.Now = Utc("2026-03-03T13:01:00Z");
        var nextDay = await type.CheckAsync(Call, source, opened[0], CancellationToken.None);

        before.ShouldBeEmpty();
        opened.ShouldBe([At("2026-03-02T13:05:00Z")]);
        again.ShouldBe([opened[0]]);
        nextDay.ShouldBe([opened[0], At("2026-03-03T13:01:00Z")]);
    }

    [Fact]
    public async Task CheckAsync_YieldsNothing_WhenDayNotListed()
    {
        // 2026-03-07 is a Saturday.
        var type = new TimeResourceType(new Clock(Utc("2026-03-07T12:00:00Z")));

        var versions = await type.CheckAsync(Call, Source("""{"interval": "1m", "days": ["Monday", "friday"]}"""), null, CancellationToken.None);

        versions.ShouldBeEmpty();
    }

    [Fact]
    public async Task CheckAsync_CountsOvernightWindowForTheDayItOpened_WhenStopBeforeStart()
    {
        // Friday 22:00 to Saturday 02:00: Saturday 01:00 still belongs to Friday's window.
        var type = new TimeResourceType(new Clock(Utc("2026-03-07T01:00:00Z")));

        var versions = await type.CheckAsync(Call, Source("""{"start": "22:00", "stop": "2:00 AM", "days": ["Friday"]}"""), null, CancellationToken.None);

        versions.ShouldBe([At("2026-03-07T01:00:00Z")]);
    }

    [Fact]
    public async Task CheckAsync_YieldsInitialVersion_WhenOutsideWindowAndInitialVersionSet()
    {
        var type = new TimeResourceType(new Clock(Utc("2026-03-02T03:00:00Z")));

        var versions = await type.CheckAsync(Call, Source("""{"start": "9:00", "stop": "10:00", "initial_version": true}"""), null, CancellationToken.None);

        versions.ShouldBe([At("2026-03-02T03:00:00Z")]);
    }

    [Theory]
    [InlineData("""{"interval": "soon"}""", "source.interval: 'soon' is not a positive duration")]
    [InlineData("""{"interval": "0"}""", "source.interval: '0' is not a positive duration")]
    [InlineData("""{"interval": "-1m"}""", "source.interval: '-1m' is not a positive duration")]
    [InlineData("""{"start": "9:00"}""", "source.stop: required when source.start is set")]
    [InlineData("""{"start": "25:00", "stop": "10:00"}""", "source.start: '25:00' is not a time of day")]
    [InlineData("""{"interval": "1m", "days": ["Funday"]}""", "source.days[0]: 'Funday' is not a day")]
    [InlineData("""{"interval": "1m", "location": "Mars/Olympus"}""", "source.location: 'Mars/Olympus' is not a known time zone")]
    [InlineData("""{}""", "source.interval: required unless")]
    [InlineData("""{"interval": 5}""", "source.interval: must be a string")]
    public async Task CheckAsync_ThrowsConfigErrorNamingField_WhenSourceInvalid(string json, string message)
    {
        var type = new TimeResourceType(TimeProvider.System);

        var error = await Should.ThrowAsync<ResourceConfigException>(() => type.CheckAsync(Call, Source(json), null, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldStartWith(message);
    }

    [Fact]
    public async Task GetAsync_WritesInputFile_WithTheVersionTime()
    {
        var type = new TimeResourceType(TimeProvider.System);
        var directory = Directory.CreateTempSubdirectory("ferry-time-").FullName;
        try
        {
            await type.GetAsync(Call, Source("""{"interval": "1m"}"""), At("2026-03-02T10:00:00Z"), [], directory, CancellationToken.None);

            var input = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "input")))!;
            input["version"]!["time"]!.GetValue<string>().ShouldBe("2026-03-02T10:00:00Z");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task PutAsync_ReturnsCurrentTime()
    {
        var type = new TimeResourceType(new Clock(Utc("2026-03-02T10:00:00.25Z")));

        var version = await type.PutAsync(Call, Source("""{"interval": "1m"}"""), [], Path.GetTempPath(), CancellationToken.None);

        version.ShouldBe(At("2026-03-02T10:00:00.25Z"));
    }
}
