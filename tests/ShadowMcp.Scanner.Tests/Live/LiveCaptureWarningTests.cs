using SharpPcap;
using ShadowMcp.Scanner.Live;

namespace ShadowMcp.Scanner.Tests.Live;

/// <summary>
/// A capture setting the platform refused is printed with its reason; the run printed
/// "settings not applied: KernelBufferSize: " because SharpPcap gave an empty message.
/// </summary>
public class LiveCaptureWarningTests
{
    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void EmptyMessage_ReasonIsTheLibpcapError(string? message)
    {
        var warning = LiveCapture.ConfigurationWarning("KernelBufferSize", PcapError.PlatformNotSupported, message);

        int code = (int)PcapError.PlatformNotSupported;
        Assert.That(warning, Is.EqualTo($"KernelBufferSize: libpcap error PlatformNotSupported ({code})"));
    }

    [Test]
    public void Message_IsTheReason()
    {
        var warning = LiveCapture.ConfigurationWarning(
            "BufferSize", PcapError.Generic, "Failed to set BufferSize. can't set\n");

        Assert.That(warning, Is.EqualTo("BufferSize: Failed to set BufferSize. can't set"));
    }

    [Test]
    public void NoPropertyName_StillSaysWhatFailed()
    {
        Assert.That(LiveCapture.ConfigurationWarning(null, PcapError.Generic, "x"), Is.EqualTo("setting: x"));
    }
}
