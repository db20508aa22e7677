namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// A small service package built with <c>consul-pkg fpm</c> the way pipelines build theirs: a
/// binary, a systemd unit (or init script) and the package's own scripts, each of which appends
/// "FLAG ARGUMENTS" to <see cref="OrderLog"/> inside the root and ends in <c>exit 0</c>, as real
/// scripts often do (in fpm that ends the whole maintainer script before the service part).
/// </summary>
public sealed class FpmServicePackage
{
    public const string Name = "hello";
    public const string Unit = "hello.service";
    public const string UnitPath = "/lib/systemd/system/hello.service";
    public const string OrderLog = "/var/log/hello-order";

    /// <summary>Flags of the scripts to give, e.g. "--after-install"; each logs and ends in exit 0.</summary>
    public IReadOnlyList<string> Scripts { get; init; } =
        ["--before-install", "--after-install", "--before-upgrade", "--after-upgrade", "--before-remove", "--after-remove", "--deb-after-purge"];

    /// <summary>Extra fpm flags, e.g. "--deb-systemd-enable".</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>Install the unit with --deb-systemd.</summary>
    public bool WithUnit { get; init; } = true;

    /// <summary>Scripts whose body is replaced, by flag (after "#!/bin/sh").</summary>
    public IReadOnlyDictionary<string, string> Bodies { get; init; } = new Dictionary<string, string>();

    /// <summary>Builds hello_1.0-ITERATION_all.deb into <paramref name="directory"/> and returns its path.</summary>
    public string Build(string directory, int iteration)
    {
        var tree = Path.Combine(directory, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "usr/bin"));
        File.WriteAllText(Path.Combine(tree, "usr/bin/hello"), "#!/bin/sh\necho hello\n");
        File.WriteAllText(Path.Combine(directory, Unit),
            "[Unit]\nDescription=hello test service\n\n[Service]\nExecStart=/usr/bin/hello\n\n[Install]\nWantedBy=multi-user.target\n");
        File.WriteAllText(Path.Combine(directory, "hello.init"),
            "#!/bin/sh\n### BEGIN INIT INFO\n# Provides: hello\n# Required-Start: $remote_fs\n# Required-Stop: $remote_fs\n"
            + "# Default-Start: 2 3 4 5\n# Default-Stop: 0 1 6\n# Short-Description: hello test service\n### END INIT INFO\n"
            + "echo \"init $1\" >> " + OrderLog + "\n");
        File.WriteAllText(Path.Combine(directory, "hello.default"), "HELLO_OPTS=\n");
        File.WriteAllText(Path.Combine(directory, "hello.upstart"), "exec /usr/bin/hello\n");

        var arguments = new List<string>
        {
            "fpm", "-s", "dir", "-t", "deb", "-n", Name, "-v", "1.0", "--iteration", iteration.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-a", "all", "-m", "Tests <tests@consul-pkg.invalid>", "--description", "hello test service", "-f",
            "-p", Path.Combine(directory, $"{Name}_1.0-{iteration}_all.deb"), "-C", tree,
        };
        if (WithUnit)
        {
            arguments.AddRange(["--deb-systemd", Path.Combine(directory, Unit)]);
        }

        foreach (var flag in Scripts)
        {
            var file = Path.Combine(directory, flag.TrimStart('-'));
            var body = Bodies.TryGetValue(flag, out var given)
                ? given
                : $"echo \"{flag.Replace("--deb-", "--", StringComparison.Ordinal).TrimStart('-')} $*\" >> {OrderLog}\nexit 0";
            File.WriteAllText(file, "#!/bin/sh\n" + body + "\n");
            arguments.AddRange([flag, file]);
        }

        arguments.AddRange(Flags);
        arguments.Add(".");
        ConsulPkgProcess.Run(directory, [.. arguments]).EnsureSuccess();
        return arguments[arguments.IndexOf("-p") + 1];
    }

    /// <summary>The lines the package's own scripts logged, trailing blanks trimmed (dpkg passes an empty old version on a fresh install).</summary>
    public static IReadOnlyList<string> Order(DebianRoot root)
    {
        var path = root.HostPath(OrderLog);
        return File.Exists(path) ? File.ReadAllLines(path).Select(l => l.TrimEnd()).ToList() : [];
    }

    /// <summary>Empties the log between steps, so each step's lines can be asserted alone.</summary>
    public static void ClearOrder(DebianRoot root) => File.Delete(root.HostPath(OrderLog));
}
