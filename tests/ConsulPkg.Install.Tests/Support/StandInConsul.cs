namespace ConsulPkg.Install.Tests.Support;

/// <summary>
/// The stand-in for the consul executable: a shell script that records how it was started
/// (its path and every argument, one a line) so a test can assert on the command a unit runs.
/// </summary>
public static class StandInConsul
{
    /// <summary>Where the stand-in writes its invocation, unless CONSUL_STANDIN_RECORD says otherwise.</summary>
    public const string DefaultRecord = "/tmp/consul-standin.args";

    public const string Script = """
        #!/bin/sh
        # Stand-in for the consul binary in install tests: records how it was started.
        record="${CONSUL_STANDIN_RECORD:-/tmp/consul-standin.args}"
        printf '%s\n' "$0" "$@" > "$record"
        if [ "$1" = version ]; then
            echo "Consul v0.0.0-standin"
        fi
        exit 0

        """;
}
