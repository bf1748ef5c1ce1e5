using ShadowMcp.Scanner.Capture;

namespace ShadowMcp.Scanner.Tests.Capture.Writers;

/// <summary>A frame copied out of the reader's buffer.</summary>
internal sealed record FrameCopy(byte[] Data, int LinkType, DateTime Time, int OriginalLength, long Offset, int InterfaceId);

internal static class ReadFrames
{
    /// <summary>Reads every frame; a CaptureFormatException is returned, not thrown, with the frames read before it.</summary>
    public static (List<FrameCopy> Frames, CaptureFormatException? Error) From(byte[] file, string name = "test.pcap", CaptureReaderOptions? options = null)
    {
        var frames = new List<FrameCopy>();
        try
        {
            var reader = CaptureReader.Open(new MemoryStream(file), name, options);
            while (reader.TryReadFrame(out var frame))
                frames.Add(new FrameCopy(frame.Data.ToArray(), frame.LinkType, frame.Time, frame.OriginalLength, frame.Offset, frame.InterfaceId));
            return (frames, null);
        }
        catch (CaptureFormatException e)
        {
            return (frames, e);
        }
    }
}
