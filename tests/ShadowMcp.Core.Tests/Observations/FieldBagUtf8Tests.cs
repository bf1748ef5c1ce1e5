using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Tests.Observations;

/// <summary>
/// A bag that decodes lazily keeps a body or an event's data as bytes until the value is read; every way of reading
/// must then give the same text an eager bag gives (cut like <see cref="Utf8Text.Prefix"/>, U+FFFD for bad bytes).
/// </summary>
public class FieldBagUtf8Tests
{
    // "é" is two bytes: a cut at 6 bytes would split it, so the prefix stops before it. 0xFF is invalid UTF-8.
    private static readonly byte[] Body = [.. "abcde"u8, 0xC3, 0xA9, .. "fg"u8, 0xFF, .. "h"u8];

    private static FieldBag Fill(FieldBag bag) => bag.Add("method", "POST").AddUtf8("body", Body, 6).AddUtf8("data", Body, 100).Add("x", "y");

    [Test]
    public void LazyBag_EveryReadGivesTheEagerText()
    {
        var eager = Fill(new FieldBag());
        Assert.That(eager.Get("body"), Is.EqualTo(Utf8Text.Prefix(Body, 6)));

        Assert.Multiple(() =>
        {
            Assert.That(Fill(new FieldBag { DecodesLazily = true }).Get("body"), Is.EqualTo(eager.Get("body")));
            Assert.That(Fill(new FieldBag { DecodesLazily = true }).ValueAt(2), Is.EqualTo(Encoding.UTF8.GetString(Body)));
            Assert.That(Fill(new FieldBag { DecodesLazily = true }).GetAll("data"), Is.EqualTo(eager.GetAll("data")));
            Assert.That(Fill(new FieldBag { DecodesLazily = true }).AsSpan().ToArray(), Is.EqualTo(eager.AsSpan().ToArray()));
            Assert.That(Fill(new FieldBag { DecodesLazily = true }).ToList(), Is.EqualTo(eager.ToList()));
            Assert.That(Fill(new FieldBag { DecodesLazily = true }).ToString(), Is.EqualTo(eager.ToString()));
            var walked = new List<KeyValuePair<string, string>>();
            foreach (var kv in Fill(new FieldBag { DecodesLazily = true })) walked.Add(kv);
            Assert.That(walked, Is.EqualTo(eager.ToList()));
        });
    }

    [Test]
    public void LazyBag_ReusedAfterClearAndTruncate_HoldsOnlyItsNewFields()
    {
        var bag = Fill(new FieldBag { DecodesLazily = true });
        bag.Clear();
        bag.AddUtf8("data", "second"u8, 100).AddUtf8("body", "dropped"u8, 100);
        bag.Truncate(1);
        bag.Add("event", "message");

        Assert.That(bag.ToList(), Is.EqualTo(new[] { KeyValuePair.Create("data", "second"), KeyValuePair.Create("event", "message") }));
    }

    [Test]
    public void LazyBag_ReadingOtherFields_DecodesNothing()
    {
        var bag = new FieldBag(8) { DecodesLazily = true };
        var big = Encoding.UTF8.GetBytes(new string('d', 4000));
        for (var warm = 0; warm < 10; warm++) { bag.Clear(); bag.Add("event", "message").AddUtf8("data", big, 4096); }

        var before = GC.GetAllocatedBytesForCurrentThread();
        bag.Clear();
        bag.Add("event", "message").AddUtf8("data", big, 4096);
        _ = bag.Get("event");
        _ = bag.IndexOf("data");
        _ = bag.KeyAt(1);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, "bytes allocated filling a reused bag and reading around its data");
        Assert.That(bag.Get("data"), Has.Length.EqualTo(4000));
    }
}
