using System.Diagnostics;
using ConsulPkg.Debian;

namespace ConsulPkg.Cli.Commands;

/// <summary>
/// fpm's <c>-e/--edit</c>: the control file goes through <c>$FPM_EDITOR</c> (else <c>$EDITOR</c>,
/// else <c>vi</c>), run by the shell as fpm runs it, so pipelines can set FPM_EDITOR to a script.
/// </summary>
internal static class ControlEditor
{
    public static string Edit(string text, CliContext context)
    {
        string editor = context.GetEnvironmentVariable("FPM_EDITOR") is { Length: > 0 } fpmEditor ? fpmEditor
            : context.GetEnvironmentVariable("EDITOR") is { Length: > 0 } plainEditor ? plainEditor
            : "vi";
        string directory = Directory.CreateTempSubdirectory("consul-pkg-edit-").FullName;
        string path = Path.Combine(directory, "control");
        try
        {
            File.WriteAllText(path, text);
            var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = context.WorkingDirectory, UseShellExecute = false };
            // The editor command is the user's shell text; the file is passed as "$1", never pasted in.
            foreach (string argument in (string[])["-c", editor + " \"$1\"", "sh", path])
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start) ?? throw new PackageException($"cannot start the --edit editor '{editor}'");
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new PackageException($"the --edit editor '{editor}' failed (exit code {process.ExitCode}): nothing was built");
            }

            return File.ReadAllText(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
