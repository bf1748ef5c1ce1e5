using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>Record shapes kept packed in a pooled buffer read back exactly as added, and outlive the buffer.</summary>
public class TlsRecordShapesTests
{
    private static readonly DateTime T0 = new(2026, 12, 5, 3, 0, 0, DateTimeKind.Utc);

    private static TlsFlowSummary Summary(int port) => new() { Flow = new FlowRef("10.0.0.5", port, "10.0.0.9", 443, "tcp") };

    [Test]
    public void Add_RecordsEitherSideOfTheFirstInTime_ReadBackExactly()
    {
        var added = new[]
        {
            new TlsRecordShape(true, 517, T0),
            new TlsRecordShape(false, 18432, T0.AddTicks(1)),
            new TlsRecordShape(false, 0, T0.AddTicks(-12_345)), // capture clocks step back
            new TlsRecordShape(true, 65535, T0.AddDays(80)),
            new TlsRecordShape(true, 33, T0.AddDays(-80)),
        };
        var summary = Summary(50000);
        foreach (var r in added) summary.Add(r);

        Assert.That(summary.Records, Is.EqualTo(added));
        Assert.That(summary.Records.Select(r => r.Time.Kind), Is.All.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void Add_ClockJumpBeyondAnOffset_KeepsEveryRecordExactly()
    {
        var added = new[]
        {
            new TlsRecordShape(true, 100, T0),
            new TlsRecordShape(false, 200, T0.AddSeconds(3)),
            new TlsRecordShape(true, 300, T0.AddYears(3)),
            new TlsRecordShape(false, 400, T0.AddSeconds(4)),
        };
        var summary = Summary(50001);
        foreach (var r in added) summary.Add(r);
        summary.Seal();

        Assert.That(summary.Records, Is.EqualTo(added));
    }

    [Test]
    public void Seal_NextFlowsReuseThePooledBuffer_EndedFlowKeepsItsOwnRecords()
    {
        var first = Summary(50002);
        var firstRecords = Enumerable.Range(0, 64).Select(i => new TlsRecordShape(i % 2 == 0, 100 + i, T0.AddMilliseconds(i))).ToArray();
        foreach (var r in firstRecords) first.Add(r);
        first.Seal();

        // Later flows rent the buffer the first one gave back and write over it, then go back themselves.
        for (var n = 0; n < 4; n++)
        {
            var next = Summary(50003 + n);
            for (var i = 0; i < 64; i++) next.Add(new TlsRecordShape(i % 2 == 1, 9000 + i, T0.AddHours(1 + n).AddMilliseconds(i)));
            if (n % 2 == 0) next.Seal();
            else next.Release();
        }
        var reused = Summary(50010);
        reused.Add(new TlsRecordShape(false, 7, T0.AddHours(9)));

        Assert.That(first.Records, Is.EqualTo(firstRecords));
        Assert.That(reused.Records, Is.EqualTo(new[] { new TlsRecordShape(false, 7, T0.AddHours(9)) }));
    }
}
