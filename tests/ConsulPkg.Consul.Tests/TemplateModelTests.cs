using System.Reflection;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Testing.Releases;
using Scriban.Runtime;

namespace ConsulPkg.Consul.Tests;

/// <summary>The hand-written variable list stays in step with the model's properties.</summary>
[TestFixture]
public sealed class TemplateModelTests
{
    [Test]
    public void EveryPropertyIsAVariableUnderItsSnakeCaseName()
    {
        ConsulTemplateModel model = ConsulRenderer.Model(
            ConsulVersionFacts.For("1.17.3"), "1.17.3-1", PackageLayout.Debian, new AgentSettings { BindAddr = "10.0.0.1" },
            GossipKey.Parse(TestKeys.GossipKeyBase64, "test"));
        Dictionary<string, object?> expected = typeof(ConsulTemplateModel)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .ToDictionary(p => StandardMemberRenamer.Default(p), p => p.GetValue(model));

        Assert.That(model.Variables(), Is.EquivalentTo(expected));
    }

    [Test]
    public void JsonValuesAreEncodedWithoutHtmlEscaping()
    {
        ConsulTemplateModel model = ConsulRenderer.Model(
            ConsulVersionFacts.For("0.7.2"), "0.7.2-1", PackageLayout.Seed, new AgentSettings { Join = ["10.0.0.1", "consul.example.org:8301"] },
            GossipKey.Parse(TestKeys.GossipKeyBase64, "test"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.JoinJson, Is.EqualTo("[\"10.0.0.1\",\"consul.example.org:8301\"]"));
            Assert.That(model.EncryptJson, Is.EqualTo("\"" + TestKeys.GossipKeyBase64 + "\""));
            Assert.That(model.DataDirJson, Is.EqualTo("\"/var/lib/consul\""));
        }
    }
}
