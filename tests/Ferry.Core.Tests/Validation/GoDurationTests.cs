using Ferry.Core.Validation;

namespace Ferry.Core.Tests.Validation;

/// <summary>The cases of Go's own <c>time.ParseDuration</c> tests, in 100 ns ticks (finer parts are cut off).</summary>
public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("5s", 50_000_000L)]
    [InlineData("-5s", -50_000_000L)]
    [InlineData("+5s", 50_000_000L)]
    [InlineData("1478s", 14_780_000_000L)]
    [InlineData("5.0s", 50_000_000L)]
    [InlineData("5.6s", 56_000_000L)]
    [InlineData("5.s", 50_000_000L)]
    [InlineData(".5s", 5_000_000L)]
    [InlineData("1.004s", 10_040_000L)]
    [InlineData("100.00100s", 1_000_010_000L)]
    [InlineData("1000ns", 10L)]
    [InlineData("11us", 110L)]
    [InlineData("12µs", 120L)]
    [InlineData("12μs", 120L)]
    [InlineData("13ms", 130_000L)]
    [InlineData("300ms", 3_000_000L)]
    [InlineData("15m", 9_000_000_000L)]
    [InlineData("16h", 576_000_000_000L)]
    [InlineData("1.5h", 54_000_000_000L)]
    [InlineData("1h30m", 54_000_000_000L)]
    [InlineData("10.5s4m", 2_505_000_000L)]
    [InlineData("-2m3.4s", -1_234_000_000L)]
    [InlineData("1h2m3s4ms5us600ns", 37_230_040_056L)]
    [InlineData("39h9m14.425s", 1_409_544_250_000L)]
    [InlineData("52763797000ns", 527_637_970L)]
    [InlineData("0.100000000000000000000h", 3_600_000_000L)]
    [InlineData("9223372036854775807ns", 92_233_720_368_547_758L)]
    [InlineData("9223372036s854ms775us807ns", 92_233_720_368_547_758L)]
    [InlineData("-9223372036854775808ns", -92_233_720_368_547_758L)]
    [InlineData("-2562047h47m16.854775808s", -92_233_720_368_547_758L)]
    public void TryParse_ReadsDuration_WhenGoAcceptsIt(string text, long ticks)
    {
        GoDuration.TryParse(text, out var duration).ShouldBeTrue();
        duration.Ticks.ShouldBe(ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("1.5")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("s")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData(".s")]
    [InlineData("+.s")]
    [InlineData("1d")]
    [InlineData("1S")]
    [InlineData("1hh")]
    [InlineData("1m x")]
    [InlineData(" 1s")]
    [InlineData("1s ")]
    [InlineData("1 s")]
    [InlineData("--1s")]
    [InlineData("1s-1s")]
    [InlineData("00")]
    [InlineData("hello")]
    [InlineData("9223372036854775808ns")]
    [InlineData("9223372036854775810ns")]
    [InlineData("9223372036854ms775us808ns")]
    [InlineData("-9223372036854775809ns")]
    [InlineData("2562048h")]
    public void TryParse_Refuses_WhenGoRefusesIt(string text)
    {
        GoDuration.TryParse(text, out var duration).ShouldBeFalse();
        duration.ShouldBe(TimeSpan.Zero);
    }
}
