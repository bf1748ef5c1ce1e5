using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Reassembly;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner;

/// <summary>
/// Scans a pcap or pcapng file: reads frames, decodes them, reassembles TCP and feeds the analyzers the
/// factory picks. A truncated or corrupt file ends the scan with an error in the result, after every open flow
/// was flushed, so nothing already seen is lost. Holds only options: one instance may scan many files, also
/// concurrently (each scan has its own flow table).
/// </summary>
public sealed class CaptureFileScanner
{
    private const int CancellationCheckInterval = 1024;
    private const long ProgressInterval = 1 << 20;

    private readonly ReassemblyOptions _reassembly;
    private readonly CaptureReaderOptions _reader;

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public CaptureFileScanner(ReassemblyOptions? reassembly = null, CaptureReaderOptions? reader = null)
    {
        _reassembly = reassembly ?? new ReassemblyOptions();
        _reader = reader ?? new CaptureReaderOptions();
        _reassembly.Validate();
        _reader.Validate();
    }

    /// <summary>Scans the capture file at <paramref name="path"/>; errors, including a missing file, come back in the result.</summary>
    public ScanResult Scan(string path, IAnalyzerFactory factory, ScanStats stats,
        IProgress<(long done, long total)>? progress = null, CancellationToken ct = default)
    {
        if (!CaptureFileOpening.TryOpen(path, stats, out var stream, out var failure)) return failure;
        using (stream) return Scan(stream, path, factory, stats, progress, ct);
    }

    /// <summary>
    /// Scans a capture from any readable stream, seekable or not (a pipe such as <c>tcpdump -w -</c>);
    /// <paramref name="name"/> is used in messages. The stream is not disposed. Progress reports a total of -1
    /// when the stream cannot tell its length.
    /// </summary>
    public ScanResult Scan(Stream stream, string name, IAnalyzerFactory factory, ScanStats stats,
        IProgress<(long done, long total)>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(stats);
        stats.Files++;
        var processor = new PacketProcessor(factory, stats, _reassembly);
        CaptureReader? captureReader = null;
        try
        {
            captureReader = CaptureReader.Open(stream, name, _reader);
            long total = captureReader.Length;
            long nextReport = ProgressInterval;
            int count = 0;
            while (captureReader.TryReadFrame(out var frame))
            {
                processor.OnFrame(frame.Data, frame.LinkType, frame.Time);
                if (++count % CancellationCheckInterval != 0) continue;
                if (ct.IsCancellationRequested) return new ScanResult(name, ScanStatus.Canceled, null);
                if (progress is not null && captureReader.Position >= nextReport)
                {
                    progress.Report((captureReader.Position, total));
                    nextReport = captureReader.Position + ProgressInterval;
                }
            }

            progress?.Report((captureReader.Position, total));
            return new ScanResult(name, ScanStatus.Completed, null);
        }
        catch (CaptureFormatException e)
        {
            return CaptureFileOpening.FormatFailed(name, e);
        }
        catch (IOException e)
        {
            return CaptureFileOpening.ReadFailed(name, captureReader?.Position, e);
        }
        finally
        {
            // Flush every open flow, also after an error: analyzers emit what they already have.
            processor.Finish();
        }
    }
}
