using System.Security.Cryptography;
using System.Text;

namespace Ferry.Engine.Resources.Git;

/// <summary>Credentials for the remote, handed to git through its environment, never through the URL.</summary>
internal sealed record GitAuth(string? PrivateKey, string? Username, string? Password, bool SkipSslVerification)
{
    public static readonly GitAuth None = new(null, null, null, false);

    /// <summary>Extra <c>-c</c> options that go before the git subcommand.</summary>
    public IReadOnlyList<string> ConfigArguments()
    {
        if (Username is null && Password is null)
            return [];
        // The helper reads the variables set in Environment(), so the password is never on a command line.
        return ["-c", "credential.helper=", "-c", "credential.helper=!f() { echo \"username=${FERRY_GIT_USERNAME}\"; echo \"password=${FERRY_GIT_PASSWORD}\"; }; f"];
    }

    public Dictionary<string, string> Environment(string workRoot)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Username is not null || Password is not null)
        {
            env["FERRY_GIT_USERNAME"] = Username ?? "";
            env["FERRY_GIT_PASSWORD"] = Password ?? "";
        }

        if (SkipSslVerification)
            env["GIT_SSL_NO_VERIFY"] = "true";
        if (PrivateKey is not null)
            env["GIT_SSH_COMMAND"] = $"ssh -i '{KeyFile(workRoot)}' -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes";
        return env;
    }

    private string KeyFile(string workRoot)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PrivateKey!)))[..16];
        var directory = Path.Combine(workRoot, "git-keys");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, hash);
        if (!File.Exists(file))
        {
            var key = PrivateKey!.ReplaceLineEndings("\n");
            File.WriteAllText(file, key.EndsWith('\n') ? key : key + "\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return file;
    }
}
