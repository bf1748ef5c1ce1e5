using System.Globalization;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Reports.Tests.Periods;

public sealed class ReportPeriodTests
{
    private static DateTime Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, DateTimeKind.Utc);

    [Test]
    public void ForWeek_Week47InBerlin_StartsAtLocalMidnight()
    {
        var p = ReportPeriod.ForWeek("2026-W47", TimeZones.Find("Europe/Berlin"));

        Assert.That(p.FromUtc, Is.EqualTo(Utc(2026, 11, 15, 23)));
        Assert.That(p.ToUtc, Is.EqualTo(Utc(2026, 11, 22, 23)));
        Assert.That(p.FileStem, Is.EqualTo("2026-W47"));
    }

    [Test]
    public void ForWeek_WeekAfterSpringDstJump_Uses_SummerOffset()
    {
        // Berlin moves to UTC+2 on Sunday 2026-03-29; week 14 starts Monday 2026-03-30.
        var p = ReportPeriod.ForWeek("2026-W14", TimeZones.Find("Europe/Berlin"));

        Assert.That(p.FromUtc, Is.EqualTo(Utc(2026, 3, 29, 22)));
        Assert.That(p.ToUtc - p.FromUtc, Is.EqualTo(TimeSpan.FromDays(7)));
    }

    [Test]
    public void ForWeek_Week53Of2026_ExistsAndCrossesTheYearEnd()
    {
        Assert.That(ISOWeek.GetWeeksInYear(2026), Is.EqualTo(53), "1 Jan 2026 is a Thursday");
        var p = ReportPeriod.ForWeek("2026-W53", TimeZoneInfo.Utc);

        Assert.That(p.FromUtc, Is.EqualTo(Utc(2026, 12, 28)));
        Assert.That(p.ToUtc, Is.EqualTo(Utc(2027, 1, 4)));
    }

    [Test]
    public void ForWeek_Week1_StartsInThePreviousCalendarYear()
    {
        Assert.That(ReportPeriod.ForWeek("2026-W01", TimeZoneInfo.Utc).FromUtc, Is.EqualTo(Utc(2025, 12, 29)));
        Assert.That(ReportPeriod.ForWeek("2027-W01", TimeZones.Find("America/Los_Angeles")).FromUtc, Is.EqualTo(Utc(2027, 1, 4, 8)));
    }

    [TestCase("2026-W60", "does not exist")]
    [TestCase("2027-W53", "weeks 1 to 52")]
    [TestCase("2026-W00", "does not exist")]
    [TestCase("2026-47", "not an ISO week")]
    [TestCase("week 47", "not an ISO week")]
    public void ForWeek_BadWeek_ThrowsNamingIt(string week, string reason)
    {
        var ex = Assert.Throws<ReportInputException>(() => ReportPeriod.ForWeek(week, TimeZoneInfo.Utc));
        Assert.That(ex!.Message, Does.Contain(week).And.Contain(reason));
    }

    [Test]
    public void WeekContaining_SundayNightInUtcIsMondayInTokyo()
    {
        var at = Utc(2026, 11, 22, 16);

        Assert.That(ReportPeriod.WeekContaining(at, TimeZoneInfo.Utc).Label, Is.EqualTo("2026-W47"));
        Assert.That(ReportPeriod.WeekContaining(at, TimeZones.Find("Asia/Tokyo")).Label, Is.EqualTo("2026-W48"));
    }

    [Test]
    public void ShiftWeeks_BackOverTheYearEnd_LandsOnTheRightWeek()
    {
        var p = ReportPeriod.ForWeek("2027-W02", TimeZoneInfo.Utc);

        Assert.That(p.ShiftWeeks(-2).Label, Is.EqualTo("2026-W53"));
        Assert.That(p.ShiftWeeks(-8).Label, Is.EqualTo("2026-W47"));
    }

    [Test]
    public void ForRange_ToBeforeFrom_Throws()
    {
        Assert.Throws<ReportInputException>(() => ReportPeriod.ForRange("2026-11-20", "2026-11-10", TimeZoneInfo.Utc));
        Assert.That(ReportPeriod.ForRange("2026-11-10", "2026-11-20", TimeZoneInfo.Utc).FileStem, Is.EqualTo("20261110-20261120"));
    }

    [Test]
    public void Find_UnknownZone_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ReportInputException>(() => TimeZones.Find("Mars/Olympus"));
        Assert.That(ex!.Message, Does.Contain("Mars/Olympus"));
    }
}
