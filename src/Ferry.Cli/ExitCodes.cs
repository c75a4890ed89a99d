namespace Ferry.Cli;

/// <summary>The exit codes every verb of <c>ferry</c> shares (DESIGN.md, Interfaces).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
}
