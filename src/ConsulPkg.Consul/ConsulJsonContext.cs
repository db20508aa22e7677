using System.Text.Json.Serialization;

namespace ConsulPkg.Consul;

/// <summary>
/// The JSON values the template model pre-encodes, serialised by generated code: the NativeAOT
/// executable has no reflection-based serialiser.
/// </summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;
