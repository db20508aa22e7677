namespace ConsulPkg.Consul;

/// <summary>
/// Everything a template may refer to, and nothing else (templates see these as snake_case:
/// <c>binary_path</c>, <c>encrypt_json</c>, ...). Values that land in JSON are pre-encoded
/// (<c>*_json</c>) so no template has to get JSON quoting right.
/// </summary>
public sealed record ConsulTemplateModel
{
    public required string PackageName { get; init; }

    /// <summary>The full Debian version, e.g. 0.7.2-1.</summary>
    public required string Version { get; init; }

    public required string ConsulVersion { get; init; }

    public required string Layout { get; init; }

    public required string BinaryPath { get; init; }

    public required string UnitName { get; init; }

    public required string ConfigRoot { get; init; }

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

    /// <summary>The gossip key as a JSON string. Only configs use it.</summary>
    public required string EncryptJson { get; init; }

    /// <summary>
    /// The model as the templates see it, each property under its snake_case name. Listed by hand
    /// rather than imported by reflection, because trimming (the NativeAOT executable) removes
    /// the metadata such an import reads; a test checks that every property is listed.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["package_name"] = PackageName,
        ["version"] = Version,
        ["consul_version"] = ConsulVersion,
        ["layout"] = Layout,
        ["binary_path"] = BinaryPath,
        ["unit_name"] = UnitName,
        ["config_root"] = ConfigRoot,
        ["data_dir"] = DataDir,
        ["defaults_file"] = DefaultsFile,
        ["user"] = User,
        ["group"] = Group,
        ["roles"] = Roles,
        ["default_role"] = DefaultRole,
        ["datacenter_json"] = DatacenterJson,
        ["data_dir_json"] = DataDirJson,
        ["join_json"] = JoinJson,
        ["encrypt_json"] = EncryptJson,
    };
}
