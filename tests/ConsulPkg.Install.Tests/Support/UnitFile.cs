using System.Text;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// The parts of a systemd service unit needed to start its command by hand where no systemd
/// runs: User=, Environment=, EnvironmentFile= and ExecStart= of the [Service] section.
/// </summary>
public sealed record UnitFile(string User, IReadOnlyList<string> Environment, IReadOnlyList<string> EnvironmentFiles, string ExecStart)
{
    /// <summary>ExecStartPre= commands, in order: each must succeed before ExecStart= runs.</summary>
    public IReadOnlyList<string> ExecStartPre { get; init; } = [];

    public static UnitFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? user = null;
        string? execStart = null;
        var environment = new List<string>();
        var startPre = new List<string>();
        var files = new List<string>();
        var inService = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                inService = line == "[Service]";
                continue;
            }

            if (!inService || line.StartsWith('#') || line.StartsWith(';') || !line.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            var key = line[..line.IndexOf('=', StringComparison.Ordinal)];
            var value = line[(key.Length + 1)..];
            switch (key)
            {
                case "User": user = value; break;
                case "Environment": environment.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)); break;
                case "EnvironmentFile": files.Add(value); break;
                case "ExecStart": execStart = value; break;
                case "ExecStartPre": startPre.Add(value); break;
                default: break;
            }
        }

        return new UnitFile(
            user ?? throw new FormatException("unit has no User="),
            environment,
            files,
            execStart ?? throw new FormatException("unit has no ExecStart="))
        {
            ExecStartPre = startPre,
        };
    }

    /// <summary>
    /// A /bin/sh script that starts ExecStart as systemd would for this unit's simple syntax:
    /// assignments first, then the files ("-" prefix: optional), then the command as User= with
    /// ${VAR} expanded (systemd's and the shell's expansion agree for plain ${VAR} words).
    /// </summary>
    public string ShellToStart()
    {
        var script = new StringBuilder("set -a\n");
        foreach (var assignment in Environment)
        {
            var name = assignment[..assignment.IndexOf('=', StringComparison.Ordinal)];
            script.Append(name).Append("='").Append(assignment[(name.Length + 1)..].Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        foreach (var file in EnvironmentFiles)
        {
            var optional = file.StartsWith('-');
            var path = optional ? file[1..] : file;
            script.Append(optional ? $"if [ -r {path} ]; then . {path}; fi\n" : $". {path}\n");
        }

        script.Append("set +a\n");

        // ExecStartPre= first, as User=: a failure stops the start (a "-" prefix ignores it).
        foreach (var pre in ExecStartPre)
        {
            script.Append("runuser -u ").Append(User).Append(" -- ").Append(pre.TrimStart('@', '-', ':', '+', '!'))
                .Append(pre.StartsWith('-') ? " || true\n" : " || exit $?\n");
        }

        // Strip systemd's executable prefixes (@, -, :, +, !) that do not apply here.
        var command = ExecStart.TrimStart('@', '-', ':', '+', '!');
        script.Append("exec runuser -u ").Append(User).Append(" -- ").Append(command).Append('\n');
        return script.ToString();
    }
}
