using Spectre.Console;

namespace Ferry.Cli.Client;

/// <summary>
/// Where a verb's output goes. A terminal gets Spectre.Console: tables fitted to its width with bold headers and
/// coloured statuses, and a spinner while a watch verb waits. Anything else (a pipe, a file, a test's writer) gets
/// plain text that reads the same on every run: no colour, no cursor movement, every row on one line, because
/// scripts and tests parse it.
/// </summary>
internal sealed class Terminal
{
    private readonly IAnsiConsole? _console;

    private Terminal(TextWriter output, IAnsiConsole? console)
    {
        Output = output;
        _console = console;
    }

    public TextWriter Output { get; }

    /// <summary>The Spectre console of a terminal; null for plain output.</summary>
    public IAnsiConsole? Console => _console;

    /// <summary>A terminal when <paramref name="output"/> is the process's standard output and that is not redirected.</summary>
    public static Terminal For(TextWriter output) =>
        ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected
            ? new Terminal(output, AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Detect,
            }))
            : Plain(output);

    public static Terminal Plain(TextWriter output) => new(output, null);

    /// <summary>A terminal of <paramref name="width"/> columns that writes its escape codes to <paramref name="output"/>.</summary>
    internal static Terminal Emulated(TextWriter output, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.Yes,
        });
        console.Profile.Width = width;
        return new Terminal(output, console);
    }

    /// <summary>
    /// Runs <paramref name="work"/> under a spinner with a status line it may change (on an interactive terminal that
    /// understands escape codes; the line goes when the work ends). Elsewhere it runs the work and shows nothing.
    /// Lines written with <see cref="WriteLineAsync"/> meanwhile appear above the spinner.
    /// </summary>
    public async Task<T> WaitingAsync<T>(string status, Func<Action<string>, Task<T>> work)
    {
        if (_console is null || !_console.Profile.Capabilities.Interactive || !_console.Profile.Capabilities.Ansi)
        {
            return await work(_ => { });
        }
        // Status text is markup: a '[' in a name would otherwise end the process from Spectre's refresh thread.
        return await _console.Status().Spinner(Spinner.Known.Dots)
            .StartAsync(Markup.Escape(status), context => work(text => context.Status(Markup.Escape(text))));
    }

    /// <summary>One line of text; on a terminal through Spectre, so that it lands above a running spinner.</summary>
    public async Task WriteLineAsync(string line)
    {
        if (_console is null)
        {
            await Output.WriteLineAsync(line);
            return;
        }
        _console.WriteLine(line);
    }
}
