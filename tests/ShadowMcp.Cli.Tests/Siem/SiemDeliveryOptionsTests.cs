using ShadowMcp.Cli.Siem;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>The retry backoff: the first delay, doubling, capped.</summary>
public sealed class SiemDeliveryOptionsTests
{
    [Test]
    public void Backoff_DoublesFromTheInitialDelay_UpToTheCap()
    {
        var options = new SiemDeliveryOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(30) };

        Assert.That(Enumerable.Range(1, 7).Select(r => options.Backoff(r).TotalSeconds), Is.EqualTo(new double[] { 1, 2, 4, 8, 16, 30, 30 }));
        Assert.That(options.Backoff(500), Is.EqualTo(TimeSpan.FromSeconds(30)), "no overflow after many retries");
    }
}
