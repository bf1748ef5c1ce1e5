using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Tests.Text;

/// <summary>
/// A peer (or weeks of one-time values) can fill the string table. Before, the table then stopped sharing: every
/// later value was made anew at every use for the rest of the process's life. Recent strings must stay shared, and
/// junk must not pin itself.
/// </summary>
public sealed class StringTableTests
{
    private static StringTable FilledByAPeer(int kept = 100, int recentSlots = 4096)
    {
        var table = new StringTable(kept, recentSlots);
        for (int i = 0; i < kept; i++) table.Get($"junk-{i}-{Guid.NewGuid():N}");
        Assert.That(table.Count, Is.EqualTo(kept));
        return table;
    }

    [Test]
    public void Get_AfterAPeerFilledTheTable_ARepeatedValueIsOneStringAndCostsNothing()
    {
        var table = FilledByAPeer();
        var text = "tools.corp.example".ToCharArray();
        var first = table.Get(text);

        int others = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
            if (!ReferenceEquals(table.Get(text), first)) others++;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(others, Is.Zero);
        Assert.That(allocated, Is.LessThan(1024), "an 18-char string is about 60 B: before, 10,000 of them");
    }

    [Test]
    public void Get_JunkKeepsComingAfterTheTableIsFull_ARepeatedValueStaysMostlyShared()
    {
        var table = FilledByAPeer();
        var instances = new HashSet<string>(ReferenceEqualityComparer.Instance);
        for (int round = 0; round < 1_000; round++)
        {
            for (int j = 0; j < 10; j++) table.Get($"junk-{round}-{j}");
            instances.Add(table.Get("mcp-session-id".AsSpan()));
        }

        // Ten new strings a round take a slot each; the value is made again only when one takes its slot (about 2 in
        // 1,000 rounds with 4,096 slots).
        Assert.That(instances, Has.Count.LessThan(50));
        Assert.That(instances.All(s => s == "mcp-session-id"));
    }

    [Test]
    public void Get_StringsKeptBeforeTheTableFilled_StayKeptWhateverComesAfter()
    {
        var table = new StringTable(3, 16);
        var kept = new[] { table.Get("a.b".AsSpan()), table.Get("c.d".AsSpan()), table.Get("e.f".AsSpan()) };
        for (int i = 0; i < 10_000; i++) table.Get($"junk-{i}".AsSpan());

        Assert.That(ReferenceEquals(table.Get("a.b".AsSpan()), kept[0]) && ReferenceEquals(table.Get("e.f".AsSpan()), kept[2]));
        Assert.That(table.Count, Is.EqualTo(3));
    }

    [Test]
    public void Get_FromManyThreadsOnAFullTable_AlwaysGivesTheTextAsked()
    {
        var table = FilledByAPeer(kept: 10, recentSlots: 8); // few slots: threads take each other's all the time
        var wrong = 0;
        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                var text = $"v{(i * 7 + t) % 40}";
                if (table.Get(text.AsSpan()) != text) Interlocked.Increment(ref wrong);
            }
        });
        Assert.That(wrong, Is.Zero);
    }

    [Test]
    public void Get_LongOrEmptyText_IsNeverKept()
    {
        var table = new StringTable(10, 16);
        var longText = new string('x', StringTable.MaxChars + 1);
        Assert.That(ReferenceEquals(table.Get(longText.AsSpan()), table.Get(longText.AsSpan())), Is.False);
        Assert.That(table.Get([]), Is.SameAs(""));
        Assert.That(table.Count, Is.Zero);
    }
}
