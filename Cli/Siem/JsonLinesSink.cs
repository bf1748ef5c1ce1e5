namespace ShadowMcp.Cli.Siem;

/// <summary>
/// One JSON object per line, to stdout or appended to a file a SIEM agent tails. Acknowledged once the lines are
/// flushed (for a file: to disk), so the cursor never runs ahead of what the file holds.
/// </summary>
internal sealed class JsonLinesSink : ISiemSink
{
    private readonly Stream _stream;
    private readonly bool _file;

    private JsonLinesSink(Stream stream, bool file, string display)
    {
        _stream = stream;
        _file = file;
        Display = display;
    }

    public string Display { get; }

    public static JsonLinesSink Stdout() => new(Console.OpenStandardOutput(), false, "stdout");

    /// <exception cref="IOException">The file cannot be opened for appending (also UnauthorizedAccessException and the like).</exception>
    public static JsonLinesSink AppendTo(string path) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), true, Path.GetFullPath(path));

    public async Task SendAsync(IReadOnlyList<SiemEvent> batch, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var e in batch)
            {
                await _stream.WriteAsync(e.Json, cancellationToken);
                _stream.WriteByte((byte)'\n');
            }
            await _stream.FlushAsync(cancellationToken);
            if (_stream is FileStream fs && _file) fs.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            throw new SiemSinkException($"{Display}: {e.Message}", inner: e);
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
