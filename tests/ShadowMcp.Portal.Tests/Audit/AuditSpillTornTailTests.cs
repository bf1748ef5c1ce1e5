using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Review: a portal killed while it wrote its fallback file leaves a last line without its end. The next portal that
/// spills must not glue its first row onto that fragment, or a complete row becomes part of a line no import can read.
/// </summary>
public sealed class AuditSpillTornTailTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)7, 32)];

    [Test]
    public async Task Spill_AfterATornLastLine_StartsItsRowsOnALineOfTheirOwn()
    {
        var db = Path.Combine(TempDir.Create(), "audit.db");
        var store = new PortalStore(db);
        AuditSpill.KeyBeside(store, Key);
        var file = await AuditSpill.SpillAsync(store, Key, "r1", [AuditRows.Record("user0")], [AuditRows.Record("alice"), AuditRows.Record("bob")]);
        // kill -9 in the middle of writing bob's line: the file ends inside it.
        var torn = AuditImportTornLineTests.Tear(file);

        await AuditSpill.SpillAsync(store, Key, "r2", [], [AuditRows.Record("dave")]);

        var last = File.ReadAllLines(file)[^1];
        Assert.That(() => AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(last)), Throws.Nothing,
            "dave's row must be a line of its own, readable by audit import once the torn line is dealt with");
        Assert.That(AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(last)).Record.User, Is.EqualTo("dave"));
        Assert.That(AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(last)).TornLineBefore, Is.EqualTo(torn.Length),
            "dave's row says the spill ended a torn line of that length, so the import can tell it was torn");
        Assert.That(File.ReadAllLines(file)[^2], Is.EqualTo(System.Text.Encoding.UTF8.GetString(torn)), "the torn line is kept as it was");
    }
}
