namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// The tutorial's (the seed's) packaging directory, laid out exactly as its shell steps make it:
/// binary, unit, three configs, data dir, and its pre-install/post-install/pre-uninstall scripts
/// sitting in the packaged directory itself. The scripts and unit are the seed's text verbatim.
/// </summary>
public static class SeedTree
{
    /// <summary>The seed's fpm command line, with <c>consul-pkg fpm</c> in place of <c>fpm</c>.</summary>
    public static readonly string[] FpmArguments =
    [
        "fpm", "--name", "consul", "--input-type", "dir", "--output-type", "deb", "--version", "0.7.2",
        "--vendor", "haf", "--pre-install", "./pre-install", "--post-install", "./post-install",
        "--pre-uninstall", "./pre-uninstall", "--iteration", "1", ".",
    ];

    public const string PreInstall = """
        #!/bin/sh
        set -e
        user="consul"
        group="consul"
        datadir="/var/lib/consul"
        confdir="/etc/consul.d"

        if ! getent group "$group" > /dev/null 2>&1 ; then
          addgroup --system "$group" --quiet
        fi

        if ! id "$user" > /dev/null 2>&1 ; then
          adduser --system --home "$datadir" --no-create-home \
            --ingroup "$group" --disabled-password \
            --gecos "Consul server or client" \
            --shell /bin/false --quiet "$user"
        fi

        chown -R consul:consul /etc/consul.d /var/lib/consul

        exit 0

        """;

    public const string PostInstall = """
        #!/bin/sh
        set -e
        echo "To run: 'sudo systemctl daemon-reload'"
        echo "To run: 'sudo systemctl enable consul'"

        """;

    // The seed writes this one with an unquoted heredoc; nothing in it expands.
    public const string PreUninstall = """
        #!/bin/sh
        set -e
        systemctl --no-reload stop consul.service >/dev/null 2>&1 || true
        systemctl disable consul >/dev/null 2>&1 || true

        """;

    public const string Unit = """
        [Unit]
        Description=Consul server
        Wants=network-online.target
        After=network-online.target

        [Service]
        Type=simple
        Restart=on-failure
        RestartSec=10
        User=consul
        Group=consul
        LimitNOFILE=64000

        ExecStart=/usr/local/bin/consul

        [Install]
        WantedBy=multi-user.target

        """;

    /// <summary>Writes the seed's tree into <paramref name="directory"/>, with the recipe tests' stand-in consul binary.</summary>
    public static void Write(string directory, string gossipKey)
    {
        void Put(string relative, string content, bool executable = false)
        {
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            if (executable)
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101); // 0755, as the seed's shell leaves them after chmod
            }
        }

        Put("usr/local/bin/consul", ConsulPkg.Testing.Releases.FakeRelease.StandInScript, executable: true);
        Put("usr/lib/systemd/system/consul.service", Unit);
        Directory.CreateDirectory(Path.Combine(directory, "var/lib/consul"));
        Put("etc/consul.d/bootstrap/consul.conf", $$"""
            {
              "bootstrap": true,
              "server": true,
              "datacenter": "dc1",
              "data_dir": "/var/lib/consul",
              "encrypt": "{{gossipKey}}"
            }

            """);
        Put("etc/consul.d/server/consul.conf", $$"""
            {
              "server": true,
              "datacenter": "dc1",
              "data_dir": "/var/lib/consul",
              "encrypt": "{{gossipKey}}",
              "start_join": ["172.20.20.11", "172.20.20.12"]
            }

            """);
        Put("etc/consul.d/client/consul.conf", $$"""
            {
              "server": false,
              "datacenter": "dc1",
              "data_dir": "/var/lib/consul",
              "encrypt": "{{gossipKey}}",
              "start_join": ["172.20.20.10", "172.20.20.11", "172.20.20.12"]
            }

            """);
        Put("pre-install", PreInstall, executable: true);
        Put("post-install", PostInstall, executable: true);
        Put("pre-uninstall", PreUninstall, executable: true);
    }
}
