using System.Text;
using ShadowMcp.Core.Observations.JsonRpc;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Tests.Observations;

/// <summary>The per-thread member-path memo must give exactly the path the shared table gives, hit or miss.</summary>
public class MemberPathsTests
{
    private static string Expected(string parent, byte[] name) => string.Concat(parent, ".", Encoding.UTF8.GetString(name));

    [Test]
    public void Of_ManyParentsAndNames_AlwaysTheJoinedPath()
    {
        var random = new Random(7);
        // More pairs than slots, revisited in random order: every hit, miss and slot replacement is exercised. Few
        // enough that the process-wide table (16,384 strings, shared with other tests) keeps room.
        var parents = Enumerable.Range(0, 60).Select(i => StringCache.Get($"params.p{i}")).ToArray();
        var names = Enumerable.Range(0, 40).Select(i => Encoding.UTF8.GetBytes(i % 17 == 0 ? $"naïve{i}" : $"m{i}")).ToArray();
        for (var n = 0; n < 50_000; n++)
        {
            var parent = parents[random.Next(parents.Length)];
            var name = names[random.Next(names.Length)];
            var path = MemberPaths.Of(parent, name);
            if (path != Expected(parent, name)) Assert.Fail($"{parent} + {Encoding.UTF8.GetString(name)} gave {path}");
        }
        Assert.That(MemberPaths.Of(parents[0], names[1]), Is.EqualTo("params.p0.m1"));
    }

    [Test]
    public void Of_EqualParentTextInAnotherString_StillTheJoinedPath()
    {
        // The memo keys the parent by reference; a copy with the same text must not be confused with another parent.
        var a = new string("result.tools[]".AsSpan());
        var b = new string("result.tools[]".AsSpan());
        var name = "name"u8.ToArray();
        Assert.That(MemberPaths.Of(a, name), Is.EqualTo("result.tools[].name"));
        Assert.That(MemberPaths.Of(b, name), Is.EqualTo("result.tools[].name"));
        Assert.That(MemberPaths.Of(a, "nam"u8.ToArray()), Is.EqualTo("result.tools[].nam"), "a prefix of a remembered name");
    }

    [Test]
    public void Of_InvalidUtf8_DecodesAsTheTableDoes()
    {
        byte[] name = [0x61, 0xFF, 0x62];
        Assert.That(MemberPaths.Of("params", name), Is.EqualTo("params." + StringCache.FromUtf8(name)));
        Assert.That(MemberPaths.Of("params", name), Is.EqualTo("params.a\uFFFDb"));
    }
}
