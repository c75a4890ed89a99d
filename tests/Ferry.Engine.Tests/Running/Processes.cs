namespace Ferry.Engine.Tests.Running;

internal static class Processes
{
    /// <summary>Waits briefly for a process to be gone (or a zombie nobody reaps), failing if it still runs.</summary>
    public static async Task ShouldBeGoneAsync(int pid)
    {
        for (var i = 0; i < 50 && Alive(pid); i++)
        {
            await Task.Delay(100);
        }
        Alive(pid).ShouldBeFalse($"process {pid} still runs");
    }

    public static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
