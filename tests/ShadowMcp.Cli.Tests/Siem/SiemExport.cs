using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Cli.Siem;

namespace ShadowMcp.Cli.Tests.Siem;

/// <summary>Runs the export in process, as `export --ocsf --cursor` does, against a given sink.</summary>
internal static class SiemExport
{
    public static readonly SiemDeliveryOptions FastRetries = new() { Retries = 2, InitialBackoff = TimeSpan.Zero, BatchSize = 3 };

    public static async Task<int> RunAsync(string db, string cursorPath, ISiemSink sink, SiemDeliveryOptions? options = null,
        IReadOnlySet<SiemStream>? streams = null)
    {
        var reader = new SiemEventReader(db, new SiemSelection(streams ?? SiemSelection.AllStreams, null), TimeProvider.System);
        var delivery = new SiemDelivery(reader, sink, SiemCursor.Load(cursorPath), options ?? FastRetries, TimeProvider.System,
            NullLogger<SiemDelivery>.Instance);
        return await delivery.RunOnceAsync(CancellationToken.None);
    }

    /// <summary>Exports to a JSON-lines file and returns the lines this run appended.</summary>
    public static async Task<string[]> ToFileAsync(string db, string cursorPath, string file, IReadOnlySet<SiemStream>? streams = null)
    {
        var before = File.Exists(file) ? File.ReadAllLines(file).Length : 0;
        await using (var sink = JsonLinesSink.AppendTo(file)) await RunAsync(db, cursorPath, sink, streams: streams);
        return [.. File.ReadAllLines(file).Skip(before)];
    }
}
