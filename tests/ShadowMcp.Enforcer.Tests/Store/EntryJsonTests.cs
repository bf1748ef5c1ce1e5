using System.Text.Json;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Tests.Store;

/// <summary>The hand-written entry writer gives what the serializer gives, so stored rows do not change.</summary>
public sealed class EntryJsonTests
{
    private static readonly BlockEntry[] Tricky =
    [
        new(BlockKind.HostPath, "api.corp.example", null, "/mcp (v2)+\"<x>&'é\\", BlockActions.Block),
        new(BlockKind.AddressPort, "fd00::10", 8443, null, BlockActions.Reset),
        new(BlockKind.Address, "203.0.113.5", null, null, BlockActions.Drop),
        new(BlockKind.Host, "rogue.example", null, null, BlockActions.Redirect(["10.9.0.10", "fd00::10"])),
        new(BlockKind.Host, "a.example", null, null, BlockActions.Block),
    ];

    [Test]
    public void Write_MatchesTheSerializerInTheStoredOrder()
    {
        var expected = JsonSerializer.Serialize(Tricky.Order(BlockEntry.Order).ToList(), EntryJson.Options);

        Assert.That(EntryJson.Write(Tricky), Is.EqualTo(expected));
        Assert.That(EntryJson.Write(Tricky.Order(BlockEntry.Order).ToList()), Is.EqualTo(expected), "already sorted");
        Assert.That(EntryJson.Write([]), Is.EqualTo("[]"));
        Assert.That(EntryJson.Read(expected), Is.EqualTo(Tricky.Order(BlockEntry.Order).ToList()));
    }

    [Test]
    public void With_ChangingAPartOfTheKey_GivesTheNewKey()
    {
        var e = new BlockEntry(BlockKind.Host, "a.example", null, null, BlockActions.Block);
        _ = e.Key;

        var moved = e with { Kind = BlockKind.HostPath, Path = "/mcp" };

        Assert.That(moved.Key, Is.EqualTo("host:a.example/mcp"));
        Assert.That(moved, Is.Not.EqualTo(e));
        Assert.That(moved with { Kind = BlockKind.Host, Path = null }, Is.EqualTo(e),
            "the cached key is not part of equality");
    }
}
