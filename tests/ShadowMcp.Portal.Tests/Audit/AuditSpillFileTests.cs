using System.Text;
using ShadowMcp.Portal.Audit;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Telling a line torn by a killed portal from a line written wrong: every strict prefix of a row as the portal
/// writes it is cut short; the whole row, and lines with anything invalid in them, are not.
/// </summary>
public sealed class AuditSpillFileTests
{
    [Test]
    public void IsCutShort_EveryStrictPrefixOfARow_IsCutShort_TheWholeRowIsNot()
    {
        foreach (var record in AuditImportTests.Spilled)
        {
            var mark = new SpilledCommit(2, 4, new string('a', 64));
            var line = Encoding.UTF8.GetBytes(AuditSpillFile.Line(new SpilledRow(DateTimeOffset.UnixEpoch, "r1", record, mark, 17)));
            for (var length = 1; length < line.Length; length++)
                Assert.That(AuditSpillFile.IsCutShort(line.AsSpan(0, length)), Is.True, $"{record.User}: first {length} bytes");
            Assert.That(AuditSpillFile.IsCutShort(line), Is.False, "a whole row is not cut short");
            Assert.That(AuditSpillFile.Parse(line), Is.EqualTo(new SpilledRow(DateTimeOffset.UnixEpoch, "r1", record, mark, 17)));
        }
    }

    [TestCase("", TestName = "IsCutShort_Empty_IsNot")]
    [TestCase("not json", TestName = "IsCutShort_NotJson_IsNot")]
    [TestCase("[\"time\"", TestName = "IsCutShort_AnArrayCutShort_IsNot")]
    [TestCase("{\"time\":tru ", TestName = "IsCutShort_AnInvalidLiteral_IsNot")]
    [TestCase("{\"time\",", TestName = "IsCutShort_InvalidJsonBeforeTheCut_IsNot")]
    [TestCase("{\"time\":1}}", TestName = "IsCutShort_WholeObjectAndMore_IsNot")]
    public void IsCutShort_LinesWrittenWrong_AreNot(string line) =>
        Assert.That(AuditSpillFile.IsCutShort(Encoding.UTF8.GetBytes(line)), Is.False);
}
