using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ConsulPkg.Install.Tests.Support;

/// <summary>Which of piuparts' tests a run performs.</summary>
public enum PiupartsTest
{
    /// <summary>Install into the clean root, purge, and compare: piuparts' default test.</summary>
    InstallPurge,

    /// <summary><c>--install-remove-install</c>: install, remove, install again (from config-files-remaining), reinstall, purge, compare.</summary>
    InstallRemoveInstall,

    /// <summary>
    /// The upgrade test alone: the old version installed by name from
    /// <see cref="PiupartsRun.Repository"/>, upgraded to the given package, purged, compared.
    /// </summary>
    Upgrade,
}

/// <summary>A signed apt repository piuparts adds to the root's sources (<c>--extra-repo</c>), trusted through its keyring.</summary>
public sealed record PiupartsRepository(Uri Url, string Suite, string KeyringFile);

/// <summary>One piuparts run: the packages, the test, and what the root needs first.</summary>
public sealed record PiupartsRun(PiupartsTest Test, IReadOnlyList<string> Packages)
{
    /// <summary>debconf answers set with <c>debconf-set-selections</c> before each test ("consul consul/role select server").</summary>
    public IReadOnlyList<string> Preseed { get; init; } = [];

    /// <summary>Required for <see cref="PiupartsTest.Upgrade"/>: where the old version is.</summary>
    public PiupartsRepository? Repository { get; init; }
}

/// <summary>What piuparts concluded, with its log.</summary>
public sealed partial record PiupartsResult(ProcessResult Process, string Log)
{
    /// <summary>The line piuparts ends a run with when every test it ran passed.</summary>
    public const string AllPassed = "PASS: All tests.";

    public bool Passed => Process.ExitCode == 0 && Log.Contains(" INFO: " + AllPassed + "\n", StringComparison.Ordinal);

    /// <summary>Whether piuparts ran adequate on the installed packages (it does when adequate is installed on the host).</summary>
    public bool RanAdequate => Log.Contains(" INFO: Running adequate version ", StringComparison.Ordinal);

    /// <summary>
    /// piuparts' own ERROR lines, each with the indented lines that follow it (what it found:
    /// the files, the command output), or the process's output when there is no log.
    /// </summary>
    public string Failures
    {
        get
        {
            if (Log.Length == 0)
            {
                return Process.ToString();
            }

            var text = new StringBuilder();
            bool inError = false;
            foreach (string line in Log.Split('\n'))
            {
                Match entry = LogEntry().Match(line);
                if (entry.Success)
                {
                    inError = entry.Groups[1].Value == "ERROR";
                }

                if (inError)
                {
                    text.Append(line).Append('\n');
                }
            }

            return text.Length > 0 ? text.ToString() : Process.ToString();
        }
    }

    /// <summary>The first line of each log entry: "12m3.4s LEVEL: text".</summary>
    [GeneratedRegex(@"^\d+m\d+\.\ds ([A-Z]+): ", RegexOptions.CultureInvariant)]
    private static partial Regex LogEntry();
}

/// <summary>
/// Runs piuparts, Debian's install/upgrade/purge judge, on packages in the install tests' cached
/// Debian 12 root, given to it as its base tarball. The root's apt sources are the Debian mirror
/// the root came from (the one network use the install tests allow) and, for an upgrade, a
/// repository on 127.0.0.1. piuparts runs in a private mount namespace, so the mounts it makes in
/// its chroot (/proc, /dev/pts, /dev/shm) end with it, however it ends.
/// </summary>
/// <remarks>
/// Debian's own piuparts scripts (<c>/etc/piuparts/scripts</c>, as piuparts.debian.org runs them)
/// are used: dummy users on the low system ids, /home forbidden to system users, and the checks for
/// missing copyright files and md5sums, bad permissions and obsolete conffiles. A run's own
/// scripts (preseeding, the repository's keyring) go in a second scripts directory. piuparts
/// checks every installed file with debsums, and what adequate finds (a missing library, a broken
/// symlink, an obsolete conffile...) fails the run too (<c>--fail-if-inadequate</c>).
/// </remarks>
public static class Piuparts
{
    public const string DebianScripts = "/etc/piuparts/scripts";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    private static readonly RootVariant Base = RootVariant.Minbase;

    public static PiupartsResult Run(PiupartsRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        RequireRoot.Check();
        string tarball = DebianRootCache.GetTarball(Base);
        DebianMirror mirror = AptSources.FindMirror(DebianRootCache.Suite);

        string work = DebianRoot.CreateScratch();
        try
        {
            return Run(run, tarball, mirror, work);
        }
        finally
        {
            DebianRootCache.Remove(work);
        }
    }

    private static PiupartsResult Run(PiupartsRun run, string tarball, DebianMirror mirror, string work)
    {
        string scripts = Path.Combine(work, "scripts");
        Directory.CreateDirectory(scripts);
        string log = Path.Combine(work, "piuparts.log");
        var arguments = new List<string>
        {
            // The component the root was bootstrapped from (piuparts' default adds contrib, non-free
            // and non-free-firmware, whose indices the root does not hold).
            "--basetgz", tarball, "--distribution", DebianRootCache.Suite, "--mirror", $"{mirror.Uri} main",
            "--tmpdir", work, "--log-file", log,
            "--scriptsdir", DebianScripts, "--scriptsdir", scripts, "--fail-if-inadequate",
        };
        arguments.AddRange(run.Test switch
        {
            PiupartsTest.InstallPurge => ["--no-upgrade-test"],
            PiupartsTest.InstallRemoveInstall => ["--no-upgrade-test", "--install-remove-install"],
            PiupartsTest.Upgrade => ["--no-install-purge-test"],
            _ => throw new ArgumentOutOfRangeException(nameof(run), run.Test, "unknown piuparts test"),
        });

        // Before piuparts' first apt-get update: the root holds the mirror's indices, not its
        // translations, so without this every run would fetch Translation-en (6 MB).
        WriteScript(scripts, "post_chroot_unpack_consul_pkg_no_translations",
            "echo 'Acquire::Languages \"none\";' > /etc/apt/apt.conf.d/99consul-pkg-no-translations\n");

        if (run.Preseed.Count > 0)
        {
            // pre_test runs at the start of the install and of the upgrade test alike.
            WriteScript(scripts, "pre_test_consul_pkg_preseed",
                $"debconf-set-selections <<'EOF'\n{string.Join('\n', run.Preseed)}\nEOF\n");
        }

        if (run.Repository is { } repository)
        {
            const string Keyring = "/etc/apt/keyrings/consul-pkg-tests.gpg";
            // Before piuparts' first apt-get update, so the repository is trusted as a user trusts it.
            WriteScript(scripts, "post_chroot_unpack_consul_pkg_repository_key",
                $"mkdir -p /etc/apt/keyrings\nbase64 -d > {Keyring} <<'EOF'\n{Convert.ToBase64String(File.ReadAllBytes(repository.KeyringFile))}\nEOF\n");
            arguments.Add($"--extra-repo=deb [signed-by={Keyring}] {repository.Url} {repository.Suite} main");
        }
        else if (run.Test == PiupartsTest.Upgrade)
        {
            throw new ArgumentException("an upgrade test needs the repository that holds the old version", nameof(run));
        }

        arguments.AddRange(run.Packages);
        ProcessResult process = ProcessRunner.Run(
            "unshare", ["--mount", "--propagation", "private", "--", "piuparts", .. arguments], work, timeout: Timeout);
        string text = File.Exists(log) ? File.ReadAllText(log) : "";
        TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"piuparts {run.Test} {string.Join(' ', run.Packages.Select(Path.GetFileName))}: {process.Elapsed.TotalSeconds:F1} s, exit {process.ExitCode}"));
        return new PiupartsResult(process, text);
    }

    /// <summary>A script piuparts copies into its root and runs there at the step its name starts with.</summary>
    private static void WriteScript(string directory, string name, string body)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\nset -e\n" + body);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
