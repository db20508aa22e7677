namespace ConsulPkg.Consul;

/// <summary>
/// Everything a template may refer to, and nothing else (templates see these as snake_case:
/// <c>binary_path</c>, <c>encrypt_json</c>, ...). Values that land in JSON are pre-encoded
/// (<c>*_json</c>) so no template has to get JSON quoting right. The version facts
/// (<c>sd_notify</c>, <c>reads_hcl</c>, <c>ui_key</c>, ...) come from <see cref="Versions.ConsulVersionFacts"/>.
/// </summary>
internal sealed record ConsulTemplateModel
{
    public required string PackageName { get; init; }

    /// <summary>The full Debian version, e.g. 0.7.2-1.</summary>
    public required string Version { get; init; }

    public required string ConsulVersion { get; init; }

    /// <summary>The row of the version facts the Consul version falls in, e.g. "1.17-1.22".</summary>
    public required string ConsulRange { get; init; }

    public required string Layout { get; init; }

    public required string BinaryPath { get; init; }

    public required string UnitName { get; init; }

    /// <summary>The unit's Type= (simple; see <see cref="Versions.ConsulVersionFacts.UnitType"/>).</summary>
    public required string UnitType { get; init; }

    /// <summary>Whether this version's agent sends sd_notify READY (after a LAN join).</summary>
    public required bool SdNotify { get; init; }

    /// <summary>Whether this version reads *.hcl from a config dir (1.0 and later).</summary>
    public required bool ReadsHcl { get; init; }

    /// <summary>The key enabling the web UI in this version: ui, or ui_config from 1.9.</summary>
    public required string UiKey { get; init; }

    /// <summary>Size in bytes of the key this version's consul keygen makes.</summary>
    public required int KeygenBytes { get; init; }

    /// <summary>The command checking a config dir, ready for the directory to be appended.</summary>
    public required string ConfigCheck { get; init; }

    /// <summary>SPDX name of this version's licence.</summary>
    public required string License { get; init; }

    public required string ConfigRoot { get; init; }

    /// <summary>The administrator's per-node settings, read after the role's directory.</summary>
    public required string NodeConfigDir { get; init; }

    public required string DataDir { get; init; }

    public required string DefaultsFile { get; init; }

    public required string User { get; init; }

    public required string Group { get; init; }

    /// <summary>The role names, space separated, for shell loops.</summary>
    public required string Roles { get; init; }

    public required string DefaultRole { get; init; }

    public required string DatacenterJson { get; init; }

    public required string DataDirJson { get; init; }

    public required string JoinJson { get; init; }

    /// <summary>bind_addr for every node as a JSON string, or empty when not given.</summary>
    public required string BindAddrJson { get; init; }

    /// <summary>client_addr for every node as a JSON string, or empty when not given.</summary>
    public required string ClientAddrJson { get; init; }

    /// <summary>The gossip key as a JSON string, or empty when the package carries none. Only configs use it.</summary>
    public required string EncryptJson { get; init; }

    /// <summary>How the agents get their key: embedded, at-install (debconf, or an encrypt file put there first) or none.</summary>
    public required string GossipKeyDelivery { get; init; }

    /// <summary>Where a key given at install is written: a config the agent reads after the role's, never a conffile.</summary>
    public required string EncryptFile { get; init; }

    /// <summary>Decoded key sizes this version accepts, space separated ("16 24 32"), for the scripts that check a key.</summary>
    public required string AcceptedKeyBytes { get; init; }

    /// <summary>The same sizes for a sentence: "16, 24 or 32".</summary>
    public required string AcceptedKeySizes { get; init; }

    /// <summary>
    /// The model as the templates see it, each property under its snake_case name. Listed by hand
    /// rather than imported by reflection: trimming (the NativeAOT executable) removes the
    /// metadata such an import reads. A test checks that every property is listed.
    /// </summary>
    public IReadOnlyDictionary<string, object> Variables() => new Dictionary<string, object>(StringComparer.Ordinal)
    {
        ["package_name"] = PackageName,
        ["version"] = Version,
        ["consul_version"] = ConsulVersion,
        ["consul_range"] = ConsulRange,
        ["layout"] = Layout,
        ["binary_path"] = BinaryPath,
        ["unit_name"] = UnitName,
        ["unit_type"] = UnitType,
        ["sd_notify"] = SdNotify,
        ["reads_hcl"] = ReadsHcl,
        ["ui_key"] = UiKey,
        ["keygen_bytes"] = KeygenBytes,
        ["config_check"] = ConfigCheck,
        ["license"] = License,
        ["config_root"] = ConfigRoot,
        ["node_config_dir"] = NodeConfigDir,
        ["data_dir"] = DataDir,
        ["defaults_file"] = DefaultsFile,
        ["user"] = User,
        ["group"] = Group,
        ["roles"] = Roles,
        ["default_role"] = DefaultRole,
        ["datacenter_json"] = DatacenterJson,
        ["data_dir_json"] = DataDirJson,
        ["join_json"] = JoinJson,
        ["bind_addr_json"] = BindAddrJson,
        ["client_addr_json"] = ClientAddrJson,
        ["encrypt_json"] = EncryptJson,
        ["gossip_key_delivery"] = GossipKeyDelivery,
        ["encrypt_file"] = EncryptFile,
        ["accepted_key_bytes"] = AcceptedKeyBytes,
        ["accepted_key_sizes"] = AcceptedKeySizes,
    };
}
