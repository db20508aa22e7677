using System.Collections.Frozen;
using ConsulPkg.Debian;

namespace ConsulPkg.Consul.Versions;

/// <summary>
/// Everything that changes with the Consul version, in one place (the facts table "Across
/// versions", gathered from Consul's tagged sources, changelogs and HashiCorp's packaging). Each
/// fact is a <see cref="VersionTable{T}"/>: the value for the oldest releases, then each release
/// where it changed. <see cref="For"/> resolves them all for one version; nothing else in the
/// recipe compares version numbers.
/// </summary>
public static class ConsulVersionFacts
{
    /// <summary>The newest major version these facts describe; newer ones get the newest facts and a warning.</summary>
    public const int NewestKnownMajor = 2;

    private static ReleaseVersion V(int major, int minor, int patch = 0) => ReleaseVersion.Of(major, minor, patch);

    /// <summary>The rows of the facts table the tests and messages name.</summary>
    internal static VersionTable<string> Ranges { get; } = new("0.7.x and older",
        (V(0, 8), "0.8-0.9"), (V(1, 0), "1.0-1.5"), (V(1, 6), "1.6-1.14"), (V(1, 15), "1.15-1.16"), (V(1, 17), "1.17-1.22"), (V(2, 0), "2.x"));

    /// <summary>HCL config files came in 1.0.0; before, only *.json is read from a config dir.</summary>
    internal static VersionTable<string[]> ConfigExtensions { get; } = new([".json"], (V(1, 0), [".json", ".hcl"]));

    /// <summary>
    /// The arguments checking a config dir, the directory appended: <c>consul configtest
    /// -config-dir=DIR</c> in 0.7, <c>consul validate DIR</c> from 0.8.0.
    /// </summary>
    internal static VersionTable<string> ConfigCheck { get; } = new("configtest -config-dir=", (V(0, 8), "validate "));

    /// <summary><c>consul keygen</c>: 16 bytes up to 1.5, 32 from 1.6.</summary>
    internal static VersionTable<int> KeygenBytes { get; } = new(16, (V(1, 6), 32));

    /// <summary>
    /// memberlist's ValidateKey has taken 16, 24 or 32 bytes since before 0.7 (0.7.2's docs name
    /// only 16; the code takes all three).
    /// </summary>
    internal static VersionTable<int[]> AcceptedKeyBytes { get; } = new([16, 24, 32]);

    /// <summary>sd_notify READY from 0.8.5, sent only after a LAN join.</summary>
    internal static VersionTable<bool> SdNotify { get; } = new(false, (V(0, 8, 5), true));

    /// <summary>
    /// Type=simple for every version. Before 0.8.5 there is no sd_notify at all; after, READY comes
    /// only once the agent has joined someone, and the package's one unit also runs the bootstrap
    /// role, which joins nobody and would never become ready (HashiCorp issue 18097). A server or
    /// client that waits for unreachable peers would also fail its start after TimeoutStartSec and
    /// restart in a loop, where Type=simple keeps it retrying its joins.
    /// </summary>
    internal static VersionTable<string> UnitType { get; } = new("simple");

    /// <summary><c>start_join</c> joins once (and exits on failure) until 1.15, then is an alias of retry_join.</summary>
    internal static VersionTable<bool> StartJoinIsAlias { get; } = new(false, (V(1, 15), true));

    internal static VersionTable<string> UiKey { get; } = new("ui", (V(1, 9), "ui_config"));

    /// <summary>HashiCorp's 2023 licence change: BUSL-1.1 from 1.17.0.</summary>
    internal static VersionTable<string> License { get; } = new("MPL-2.0", (V(1, 17), "BUSL-1.1"));

    /// <summary>
    /// <c>/v1/operator/keyring</c> came in 0.7.2 (hashicorp/consul pull 2509); before, only the
    /// <c>consul keyring</c> command over the agent's RPC port changed keys.
    /// </summary>
    internal static VersionTable<bool> KeyringHttpApi { get; } = new(false, (V(0, 7, 2), true));

    /// <summary>
    /// The first release with a linux zip for each HashiCorp architecture: arm64 from 0.8.4;
    /// 386, amd64 and arm in every release.
    /// </summary>
    public static IReadOnlyDictionary<string, ReleaseVersion> FirstBuild { get; } = new Dictionary<string, ReleaseVersion>(StringComparer.Ordinal)
    {
        ["amd64"] = V(0, 0),
        ["386"] = V(0, 0),
        ["arm"] = V(0, 0),
        ["arm64"] = V(0, 8, 4),
    };

    /// <summary>
    /// Top-level configuration keys and the releases that brought them (and, for a few, took them
    /// away). A key is listed from the release Consul's changelog names; a key whose removal is
    /// unconfirmed stays accepted, since refusing a key the agent takes would block a valid config.
    /// </summary>
    private static readonly (string Key, ReleaseVersion Since, ReleaseVersion? Until)[] Keys =
    [
        .. Always(
            "acl_agent_token", "acl_datacenter", "acl_default_policy", "acl_down_policy", "acl_master_token",
            "acl_replication_token", "acl_token", "acl_ttl", "addresses", "advertise_addr", "advertise_addr_wan",
            "advertise_addrs", "bind_addr", "bootstrap", "bootstrap_expect", "ca_file", "cert_file", "check",
            "check_update_interval", "checks", "client_addr", "data_dir", "datacenter", "disable_anonymous_signature",
            "disable_coordinates", "disable_remote_exec", "disable_update_check", "dns_config", "domain", "enable_debug",
            "enable_syslog", "encrypt", "http_api_response_headers", "key_file", "leave_on_terminate", "log_level",
            "node_name", "performance", "pid_file", "ports", "protocol", "raft_protocol", "reconnect_timeout",
            "reconnect_timeout_wan", "recursor", "recursors", "rejoin_after_leave", "retry_interval", "retry_interval_wan",
            "retry_join", "retry_join_ec2", "retry_join_gce", "retry_join_wan", "retry_max", "retry_max_wan", "server",
            "server_name", "service", "services", "session_ttl_min", "skip_leave_on_interrupt", "start_join",
            "start_join_wan", "syslog_facility", "telemetry", "translate_wan_addrs", "ui", "ui_dir", "unix_sockets",
            "verify_incoming", "verify_outgoing", "verify_server_hostname", "watches",
            "acl_enforce_version_8", "disable_host_node_id", "node_id", "node_meta"),
        .. Since(V(0, 8), "autopilot", "enable_script_checks", "non_voting_server", "acl_agent_master_token", "ca_path",
            "tls_cipher_suites", "tls_min_version", "tls_prefer_server_cipher_suites", "verify_incoming_https",
            "verify_incoming_rpc", "encrypt_verify_incoming", "encrypt_verify_outgoing", "limits", "segment", "segments",
            "serf_lan", "serf_wan", "advertise_addr_ipv4", "advertise_addr_ipv6", "advertise_addr_wan_ipv4",
            "advertise_addr_wan_ipv6", "discovery_max_stale", "enable_agent_tls_for_checks", "enable_acl_replication",
            "http_config", "log_file", "log_rotate_bytes", "log_rotate_duration", "log_rotate_max_files"),
        .. Since(V(1, 0), "enable_local_script_checks", "raft_snapshot_interval", "raft_snapshot_threshold", "connect",
            "disable_http_unprintable_char_filter", "disable_keyring_file", "discard_check_output", "config_entries",
            "enable_central_service_config", "check_output_max_size", "primary_gateways", "primary_gateways_interval",
            "use_streaming_backend", "auto_encrypt", "auto_config", "default_query_time", "max_query_time", "cache",
            "audit", "license_path", "log_json", "raft_trailing_logs", "serf_allowed_cidrs_lan", "serf_allowed_cidrs_wan",
            "ui_content_path", "alt_domain", "rpc", "advertise_reconnect_timeout", "read_replica", "xds", "experiments",
            "auto_reload_config", "raft_boltdb", "peering", "raft_logstore", "cloud", "reporting", "locality"),
        ("acl", V(1, 4), null),
        ("primary_datacenter", V(1, 4), null),
        ("ui_config", V(1, 9), null),
        ("tls", V(1, 12), null),
    ];

    /// <summary>Names inside <c>ports</c>: the CLI's rpc port went in 0.8, gRPC came with Connect, grpc_tls in 1.14.</summary>
    private static readonly (string Key, ReleaseVersion Since, ReleaseVersion? Until)[] Ports =
    [
        .. Always("dns", "http", "https", "serf_lan", "serf_wan", "server"),
        ("rpc", V(0, 0), V(0, 8)),
        .. Since(V(1, 0), "grpc", "sidecar_min_port", "sidecar_max_port", "expose_min_port", "expose_max_port"),
        ("grpc_tls", V(1, 14), null),
    ];

    private static IEnumerable<(string, ReleaseVersion, ReleaseVersion?)> Always(params string[] keys) => Since(V(0, 0), keys);

    private static IEnumerable<(string, ReleaseVersion, ReleaseVersion?)> Since(ReleaseVersion since, params string[] keys) =>
        keys.Select(k => (k, since, (ReleaseVersion?)null));

    /// <summary>All facts for the release named <paramref name="version"/> (0.7.2).</summary>
    public static ConsulFacts For(string version) => For(ReleaseVersion.Parse(version));

    /// <summary>All facts for <paramref name="version"/>.</summary>
    public static ConsulFacts For(ReleaseVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new ConsulFacts
        {
            Version = version,
            Range = Ranges.For(version),
            BeyondKnown = version.Major > NewestKnownMajor,
            ConfigExtensions = ConfigExtensions.For(version),
            ConfigKeys = KeysFor(Keys, version),
            PortNames = KeysFor(Ports, version),
            ConfigCheck = ConfigCheck.For(version),
            KeygenBytes = KeygenBytes.For(version),
            AcceptedKeyBytes = AcceptedKeyBytes.For(version),
            SdNotify = SdNotify.For(version),
            UnitType = UnitType.For(version),
            StartJoinIsAlias = StartJoinIsAlias.For(version),
            UiKey = UiKey.For(version),
            License = License.For(version),
            KeyringHttpApi = KeyringHttpApi.For(version),
        };
    }

    /// <summary>
    /// Refuses, before any download, a version HashiCorp never built for
    /// <paramref name="hashiCorpArchitecture"/>, naming the first version that has it.
    /// </summary>
    public static void EnsureBuilt(ReleaseVersion version, string debianArchitecture, string hashiCorpArchitecture)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (FirstBuild.TryGetValue(hashiCorpArchitecture, out ReleaseVersion? first) && version < first)
        {
            throw new PackageException(
                $"Consul {version} has no linux_{hashiCorpArchitecture} build ({debianArchitecture}): HashiCorp builds it from {first}; choose {first} or later, or another architecture")
            {
                Setting = ConsulSettings.Architecture,
            };
        }
    }

    /// <summary>Why <paramref name="version"/> does not know <paramref name="key"/>, and the fix, for messages.</summary>
    internal static string WhyUnknown(string key, bool inPorts, ReleaseVersion version)
    {
        ReleaseVersion release = ReleaseVersion.Of(version.Major, version.Minor, version.Patch);
        foreach ((string known, ReleaseVersion since, ReleaseVersion? until) in inPorts ? Ports : Keys)
        {
            if (known == key && release < since)
            {
                return $"it came in {since}; remove it or package {since} or later";
            }

            if (known == key && until is not null && release >= until)
            {
                return $"it was removed in {until}; remove it";
            }
        }

        return "consul-pkg knows no Consul version with it; check its spelling";
    }

    private static FrozenSet<string> KeysFor((string Key, ReleaseVersion Since, ReleaseVersion? Until)[] rows, ReleaseVersion version)
    {
        ReleaseVersion release = ReleaseVersion.Of(version.Major, version.Minor, version.Patch);
        return rows.Where(r => release >= r.Since && (r.Until is null || release < r.Until))
            .Select(r => r.Key)
            .ToFrozenSet(StringComparer.Ordinal);
    }
}
