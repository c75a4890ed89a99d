using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Ferry.Engine.Processes;

/// <summary>
/// Starts every child with <c>posix_spawn</c> as the leader of its own session and process group (so its whole tree
/// can be killed at once), in its working directory, with exactly its environment, default signal handling and its
/// stdin, stdout and stderr on pipes. No wrapper process is exec'd first: <c>setsid</c> and <c>setpriv</c> cost about
/// a millisecond each per child. That the groups die with the server is <see cref="GroupWatch"/>'s part.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Starts it; a <see cref="CommandNotRunException"/> when its command cannot be found or run.</summary>
    public static ChildProcess Start(ProcessSpec spec)
    {
        if (!Directory.Exists(spec.WorkingDirectory))
        {
            throw new DirectoryNotFoundException($"working directory {spec.WorkingDirectory} does not exist");
        }
        var path = spec.Executable ?? Locate(spec.FileName, spec.WorkingDirectory, spec.Environment.GetValueOrDefault("PATH"));
        int[]? stdin = null, stdout = null, stderr = null;
        try
        {
            stdin = Pipe();
            stdout = Pipe();
            stderr = Pipe();
            // The server's ends are read without blocking a thread (ChildPipe); the child's stay blocking.
            NonBlocking(stdout[0]);
            NonBlocking(stderr[0]);
            var pid = Spawn(path, [spec.FileName, .. spec.Arguments], spec, stdin[0], stdout[1], stderr[1]);
            if (pid < 0 && -pid == Posix.ENoExec)
            {
                // A script without #!: run it with sh, as execvp and a shell do.
                pid = Spawn("/bin/sh", ["/bin/sh", path, .. spec.Arguments], spec, stdin[0], stdout[1], stderr[1]);
            }
            if (pid < 0)
            {
                throw new CommandNotRunException(spec.FileName, -pid);
            }
            CloseEach(stdin[0], stdout[1], stderr[1]);
            var (input, output, errors) = (In(stdin[1]), new ChildPipe(stdout[0]), new ChildPipe(stderr[0]));
            stdin = stdout = stderr = null;
            try
            {
                return new ChildProcess(pid, input, output, errors);
            }
            catch
            {
                // Its end could not be waited for: it must not run on unwatched.
                ProcessGroup.Kill(pid);
                Posix.WaitPid(pid, out _, 0);
                input.Dispose();
                output.Dispose();
                errors.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var pipe in new[] { stdin, stdout, stderr })
            {
                if (pipe is not null)
                {
                    CloseEach(pipe);
                }
            }
        }
    }

    /// <summary>
    /// Where execvp would find <paramref name="fileName"/>: a name with a slash from the working directory, else in
    /// <paramref name="searchPath"/>; a <see cref="CommandNotRunException"/> when it is not there or may not be run.
    /// </summary>
    public static string Locate(string fileName, string workingDirectory, string? searchPath)
    {
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.Combine(workingDirectory, fileName);
            return File.Exists(full) ? full : throw new CommandNotRunException(fileName, Posix.ENoEnt);
        }
        var denied = false;
        foreach (var directory in (searchPath ?? "/bin:/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(directory.Length == 0 ? workingDirectory : Path.Combine(workingDirectory, directory), fileName);
            if (File.Exists(candidate))
            {
                if (Posix.Access(candidate, Posix.XOk) == 0)
                {
                    return candidate;
                }
                denied = true;
            }
        }
        throw new CommandNotRunException(fileName, denied ? Posix.EAcces : Posix.ENoEnt);
    }

    /// <summary>The child's pid, or minus the error number when it could not be started.</summary>
    private static int Spawn(string path, string[] argv, ProcessSpec spec, int stdin, int stdout, int stderr)
    {
        var attributes = new byte[Posix.OpaqueSize];
        var actions = new byte[Posix.OpaqueSize];
        var none = new byte[Posix.OpaqueSize];
        var all = new byte[Posix.OpaqueSize];
        var strings = new List<IntPtr>();
        Check(Posix.SpawnAttrInit(attributes), "posix_spawnattr_init");
        Check(Posix.FileActionsInit(actions), "posix_spawn_file_actions_init");
        try
        {
            Posix.SigEmptySet(none);
            Posix.SigFillSet(all);
            // The server blocks no signals it should pass on, but ignores SIGPIPE: a task gets the defaults, as after a login.
            Check(Posix.SpawnAttrSetSigMask(attributes, none), "posix_spawnattr_setsigmask");
            Check(Posix.SpawnAttrSetSigDefault(attributes, all), "posix_spawnattr_setsigdefault");
            Check(Posix.SpawnAttrSetFlags(attributes, Posix.PosixSpawnSetSid | Posix.PosixSpawnSetSigDef | Posix.PosixSpawnSetSigMask), "posix_spawnattr_setflags");
            Check(Posix.FileActionsAddChdir(actions, spec.WorkingDirectory), "posix_spawn_file_actions_addchdir_np");
            Check(Posix.FileActionsAddDup2(actions, stdin, 0), "posix_spawn_file_actions_adddup2");
            Check(Posix.FileActionsAddDup2(actions, stdout, 1), "posix_spawn_file_actions_adddup2");
            Check(Posix.FileActionsAddDup2(actions, stderr, 2), "posix_spawn_file_actions_adddup2");
            var args = Strings(argv, strings);
            var environment = Strings([.. spec.Environment.Select(e => $"{e.Key}={e.Value}")], strings);
            var error = Posix.Spawn(out var pid, path, actions, attributes, args, environment);
            return error == 0 ? pid : -error;
        }
        finally
        {
            Posix.FileActionsDestroy(actions);
            Posix.SpawnAttrDestroy(attributes);
            foreach (var text in strings)
            {
                Marshal.FreeCoTaskMem(text);
            }
        }
    }

    /// <summary>A null-terminated array of C strings (freed by the caller through <paramref name="allocated"/>).</summary>
    private static IntPtr[] Strings(string[] values, List<IntPtr> allocated)
    {
        var array = new IntPtr[values.Length + 1];
        for (var i = 0; i < values.Length; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            allocated.Add(array[i]);
        }
        return array;
    }

    /// <summary>A pipe whose ends close on exec (only the child's dup2'ed copies stay open), both above stderr.</summary>
    private static int[] Pipe()
    {
        var fds = new int[2];
        if (Posix.Pipe2(fds, Posix.OCloExec) != 0)
        {
            throw new IOException($"pipe2: {Posix.StrError(Marshal.GetLastPInvokeError())}");
        }
        for (var i = 0; i < 2; i++)
        {
            // A server started with stdin closed gets pipe ends 0-2, which the dup2's into 0-2 would overwrite.
            if (fds[i] < 3)
            {
                var moved = Posix.Fcntl(fds[i], Posix.FDupFdCloExec, 3);
                var error = Marshal.GetLastPInvokeError();
                Posix.Close(fds[i]);
                fds[i] = moved;
                if (moved < 0)
                {
                    CloseEach(fds);
                    throw new IOException($"fcntl: {Posix.StrError(error)}");
                }
            }
        }
        return fds;
    }

    private static void CloseEach(params int[] fds)
    {
        foreach (var fd in fds)
        {
            if (fd >= 0)
            {
                Posix.Close(fd);
            }
        }
    }

    private static void NonBlocking(int fd)
    {
        var flags = Posix.Fcntl(fd, Posix.FGetFl, 0);
        if (flags < 0 || Posix.Fcntl(fd, Posix.FSetFl, flags | Posix.ONonBlock) < 0)
        {
            throw new IOException($"fcntl: {Posix.StrError(Marshal.GetLastPInvokeError())}");
        }
    }

    private static StreamWriter In(int fd) =>
        new(new AnonymousPipeClientStream(PipeDirection.Out, new SafePipeHandle(fd, ownsHandle: true)), Utf8) { AutoFlush = true };

    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new IOException($"{call}: {Posix.StrError(error)}");
        }
    }
}

/// <summary>A command that was not found or may not be run, as a shell reports it: exit status 127 or 126.</summary>
internal sealed class CommandNotRunException(string command, int error)
    : Exception($"ferry: cannot run '{command}': {Posix.StrError(error)}")
{
    public int ExitStatus { get; } = error == Posix.ENoEnt ? 127 : 126;

    /// <summary>Why, without the command's name: "No such file or directory", "Permission denied".</summary>
    public string Reason { get; } = Posix.StrError(error);
}
