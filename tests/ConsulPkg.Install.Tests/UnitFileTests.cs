using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

public sealed class UnitFileTests
{
    private const string Unit = """
        [Unit]
        Description=Consul agent
        Environment=NOT_A_SERVICE_KEY=1

        [Service]
        # comment
        User=consul
        Environment=CONSUL_ROLE=client OTHER=x
        EnvironmentFile=-/etc/default/consul
        ExecStart=/usr/local/bin/consul agent -config-dir=/etc/consul.d/${CONSUL_ROLE}

        [Install]
        WantedBy=multi-user.target
        """;

    [Test]
    public void ParsesTheServiceSection()
    {
        var unit = UnitFile.Parse(Unit);

        Assert.That(unit, Is.EqualTo(new UnitFile("consul", ["CONSUL_ROLE=client", "OTHER=x"], ["-/etc/default/consul"], "/usr/local/bin/consul agent -config-dir=/etc/consul.d/${CONSUL_ROLE}"))
            .Using<UnitFile>((a, b) => a.User == b.User && a.Environment.SequenceEqual(b.Environment) && a.EnvironmentFiles.SequenceEqual(b.EnvironmentFiles) && a.ExecStart == b.ExecStart));
    }

    [Test]
    public void StartScriptAppliesAssignmentsThenOptionalFilesThenRunsAsTheUser()
    {
        var script = UnitFile.Parse(Unit).ShellToStart();

        Assert.That(script, Is.EqualTo(
            "set -a\nCONSUL_ROLE='client'\nOTHER='x'\nif [ -r /etc/default/consul ]; then . /etc/default/consul; fi\n"
            + "set +a\nexec runuser -u consul -- /usr/local/bin/consul agent -config-dir=/etc/consul.d/${CONSUL_ROLE}\n"));
    }

    [Test]
    public void StartPreCommandsRunFirstAndAFailureStopsTheStart()
    {
        var unit = UnitFile.Parse(Unit.Replace("ExecStart=", "ExecStartPre=/bin/sh -c 'test -e /x'\n        ExecStartPre=-/bin/false\n        ExecStart=", StringComparison.Ordinal));

        Assert.That(unit.ExecStartPre, Is.EqualTo(new[] { "/bin/sh -c 'test -e /x'", "-/bin/false" }));
        Assert.That(unit.ShellToStart(), Does.Contain(
            "set +a\nrunuser -u consul -- /bin/sh -c 'test -e /x' || exit $?\nrunuser -u consul -- /bin/false || true\nexec runuser -u consul -- /usr/local/bin/consul agent"));
    }
}
