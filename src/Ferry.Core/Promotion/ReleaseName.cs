using System.Globalization;

namespace Ferry.Core.Promotion;

/// <summary>The short name of a release: <c>r</c> and its number (<c>r42</c>).</summary>
public static class ReleaseName
{
    public static string Of(int number) => "r" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Accepts <c>r42</c> and <c>42</c>.</summary>
    public static bool TryParse(string? text, out int number)
    {
        number = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var digits = text.StartsWith('r') || text.StartsWith('R') ? text[1..] : text;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }
}
