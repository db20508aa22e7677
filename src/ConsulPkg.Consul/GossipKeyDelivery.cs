namespace ConsulPkg.Consul;

/// <summary>How a Consul package's agents get their gossip key.</summary>
public enum GossipKeyDelivery
{
    /// <summary>The key is in the role configs (<c>encrypt</c>): the package is a secret, for one cluster.</summary>
    Embedded,

    /// <summary>
    /// The package carries no key: each node is given one when the package is installed (debconf
    /// <c>consul/gossip-key</c>, or a <c>/etc/consul.d/node/encrypt.json</c> put there first), and
    /// the agent does not start without one. One package serves every cluster.
    /// </summary>
    AtInstall,

    /// <summary>No key anywhere and none asked for: the agents gossip unencrypted, by explicit choice.</summary>
    None,
}

public static class GossipKeyDeliveryExtensions
{
    /// <summary>Where a node's key given at install lives (for messages and help).</summary>
    public const string EncryptFile = LayoutPaths.EncryptFile;

    /// <summary>The name templates see (<c>gossip_key_delivery</c>) and messages use.</summary>
    public static string ToName(this GossipKeyDelivery delivery) => delivery switch
    {
        GossipKeyDelivery.Embedded => "embedded",
        GossipKeyDelivery.AtInstall => "at-install",
        GossipKeyDelivery.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(delivery), delivery, "unknown gossip key delivery"),
    };
}
