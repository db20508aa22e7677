using System.Collections.Frozen;

namespace ConsulPkg.Consul.Versions;

/// <summary>
/// What the package depends on for one Consul version, read from <see cref="ConsulVersionFacts"/>:
/// the templates, the config check, the gossip key size, the unit, the licence and the
/// architectures all follow it.
/// </summary>
public sealed record ConsulFacts
{
    public required ReleaseVersion Version { get; init; }

    /// <summary>The row of the facts table this version falls in ("0.7.x", "1.6-1.14", ...), for messages.</summary>
    public required string Range { get; init; }

    /// <summary>True when the version is newer than any consul-pkg knows; the newest facts are used.</summary>
    public required bool BeyondKnown { get; init; }

    /// <summary>Extensions the agent reads from a config dir: .json only before 1.0, then .json and .hcl.</summary>
    public required IReadOnlyList<string> ConfigExtensions { get; init; }

    /// <summary>Top-level configuration keys this version accepts (any other is fatal at start).</summary>
    public required FrozenSet<string> ConfigKeys { get; init; }

    /// <summary>Keys accepted inside <c>ports</c>.</summary>
    public required FrozenSet<string> PortNames { get; init; }

    /// <summary>The consul arguments checking a config dir, the directory to be appended ("validate ").</summary>
    public required string ConfigCheck { get; init; }

    /// <summary>Size of the key <c>consul keygen</c> of this version makes.</summary>
    public required int KeygenBytes { get; init; }

    /// <summary>Decoded key sizes the agent accepts (memberlist's ValidateKey).</summary>
    public required IReadOnlyList<int> AcceptedKeyBytes { get; init; }

    /// <summary>Whether the agent sends sd_notify READY (from 0.8.5, and only after a LAN join).</summary>
    public required bool SdNotify { get; init; }

    /// <summary>
    /// The unit's Type=. Always simple: one unit serves the three roles, and with Type=notify the
    /// bootstrap role, which joins nobody, never becomes ready (see <see cref="ConsulVersionFacts"/>).
    /// </summary>
    public required string UnitType { get; init; }

    /// <summary>Whether <c>start_join</c> is only an alias of <c>retry_join</c> (1.15 and later).</summary>
    public required bool StartJoinIsAlias { get; init; }

    /// <summary>The key that enables the web UI: <c>ui</c>, or <c>ui_config</c> (its block form) from 1.9.</summary>
    public required string UiKey { get; init; }

    /// <summary>SPDX name of the binary's licence: MPL-2.0 up to 1.16.x, BUSL-1.1 from 1.17.0.</summary>
    public required string License { get; init; }

    /// <summary>Whether the agent serves the keyring HTTP API (<c>/v1/operator/keyring</c>, from 0.7.2).</summary>
    public required bool KeyringHttpApi { get; init; }

    /// <summary>The upstream source of exactly this release.</summary>
    public Uri SourceUrl => new($"https://github.com/hashicorp/consul/tree/v{Version.Text}");

    /// <summary>The licence text of exactly this release.</summary>
    public Uri LicenseUrl => new($"https://github.com/hashicorp/consul/blob/v{Version.Text}/LICENSE");

    /// <summary>A config file name the agent of this version reads.</summary>
    public bool ReadsConfigFile(string fileName) =>
        ConfigExtensions.Any(e => fileName.EndsWith(e, StringComparison.Ordinal));
}
