namespace ShadowMcp.Scanner.Decryption;

/// <summary>
/// TLS secrets from key-log files in the NSS format that OpenSSL, BoringSSL, NSS, Node (<c>--tls-keylog</c>), .NET,
/// curl and browsers write (<c>SSLKEYLOGFILE</c>): <c>LABEL &lt;client random hex&gt; &lt;secret hex&gt;</c>.
/// A file may still be growing (a live sensor): <see cref="Refresh"/> reads only whole lines appended since the
/// last read. Lines that are not understood are counted and the first ones kept with file and line; nothing throws.
/// Thread-safe: lookups may come from a capture thread while another refreshes.
/// </summary>
public sealed class TlsKeyLog
{
    /// <summary>Errors kept with their file and line; later ones are only counted.</summary>
    public const int MaxErrorsKept = 100;
    private const int MaxLineChars = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, TlsSessionSecrets> _byClientRandom = new(StringComparer.Ordinal);
    private readonly List<FileCursor> _files = [];
    private readonly List<KeyLogError> _errors = [];
    private readonly Dictionary<string, byte[]> _resumable = new(StringComparer.Ordinal);

    /// <summary>Key-log lines read that carried a usable secret.</summary>
    public long Secrets { get; private set; }

    /// <summary>Lines that were not a comment, not blank and not understood.</summary>
    public long MalformedLines { get; private set; }

    public IReadOnlyList<KeyLogError> Errors
    {
        get { lock (_lock) return [.. _errors]; }
    }

    /// <summary>Client randoms with at least one secret.</summary>
    public int Sessions
    {
        get { lock (_lock) return _byClientRandom.Count; }
    }

    /// <summary>Adds a file and reads what it holds now. A file that cannot be read is an error, not an exception.</summary>
    public void AddFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (_lock)
        {
            var cursor = new FileCursor(path);
            _files.Add(cursor);
            Read(cursor);
        }
    }

    /// <summary>Reads lines appended to every file since the last read (a file that shrank is read again).</summary>
    public void Refresh()
    {
        lock (_lock)
        {
            foreach (var file in _files) Read(file);
        }
    }

    /// <summary>Adds the lines of a key log held in memory (tests, or keys handed over by another component).</summary>
    public void AddText(string name, string text)
    {
        lock (_lock)
        {
            long line = 0;
            foreach (var raw in text.Split('\n')) ParseLine(name, ++line, raw.TrimEnd('\r'));
        }
    }

    internal bool TryGet(ReadOnlySpan<byte> clientRandom, out TlsSessionSecrets secrets)
    {
        string key = Convert.ToHexStringLower(clientRandom);
        lock (_lock)
        {
            if (_byClientRandom.TryGetValue(key, out secrets!)) return true;
            if (_files.Count == 0) return false;
            foreach (var file in _files) Read(file); // a live writer may have logged it after we last looked
            return _byClientRandom.TryGetValue(key, out secrets!);
        }
    }

    /// <summary>Remembers a TLS 1.2 master secret under a session id or ticket, for abbreviated handshakes.</summary>
    internal void RememberResumable(ReadOnlySpan<byte> idOrTicket, byte[] masterSecret)
    {
        if (idOrTicket.IsEmpty) return;
        lock (_lock)
        {
            if (_resumable.Count >= 65536) _resumable.Clear(); // bounded; resumption is best effort
            _resumable[Convert.ToHexStringLower(idOrTicket)] = masterSecret;
        }
    }

    internal byte[]? FindResumable(ReadOnlySpan<byte> idOrTicket)
    {
        if (idOrTicket.IsEmpty) return null;
        lock (_lock) return _resumable.GetValueOrDefault(Convert.ToHexStringLower(idOrTicket));
    }

    private void Read(FileCursor file)
    {
        try
        {
            using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < file.Offset)
            {
                file.Offset = 0; // truncated and rewritten
                file.Line = 0;
            }
            if (stream.Length == file.Offset) return;
            stream.Position = file.Offset;
            var bytes = new byte[stream.Length - file.Offset];
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (bytes[i] != (byte)'\n') continue;
                var text = System.Text.Encoding.ASCII.GetString(bytes, start, i - start).TrimEnd('\r');
                ParseLine(file.Path, ++file.Line, text);
                start = i + 1;
            }
            file.Offset += start; // a last line without its newline is read once it is complete
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!file.ReportedUnreadable) Error(file.Path, 0, $"cannot read: {e.Message}");
            file.ReportedUnreadable = true;
        }
    }

    private void ParseLine(string file, long line, string text)
    {
        if (text.Length == 0 || text[0] == '#' || string.IsNullOrWhiteSpace(text)) return;
        if (text.Length > MaxLineChars) { Error(file, line, "line too long"); return; }
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3) { Error(file, line, "expected 'LABEL CLIENT_RANDOM SECRET'"); return; }
        string label = parts[0];
        // Known labels not needed: RSA pre-master secrets, exporters, 0-RTT, and traffic secrets after a KeyUpdate
        // (OpenSSL logs them as *_TRAFFIC_SECRET_N; the decryptor derives them itself).
        if (label is "RSA" or "EXPORTER_SECRET" or "EARLY_EXPORTER_SECRET" or "CLIENT_EARLY_TRAFFIC_SECRET"
            || ((label.StartsWith("CLIENT_TRAFFIC_SECRET_", StringComparison.Ordinal)
                || label.StartsWith("SERVER_TRAFFIC_SECRET_", StringComparison.Ordinal)) && !label.EndsWith("_0", StringComparison.Ordinal)))
            return;
        if (label is not ("CLIENT_RANDOM" or "CLIENT_HANDSHAKE_TRAFFIC_SECRET" or "SERVER_HANDSHAKE_TRAFFIC_SECRET"
            or "CLIENT_TRAFFIC_SECRET_0" or "SERVER_TRAFFIC_SECRET_0"))
        {
            Error(file, line, $"unknown label '{Printable(label)}'");
            return;
        }
        if (!TryHex(parts[1], out var random) || random.Length != 32)
        {
            Error(file, line, "client random is not 32 bytes of hex");
            return;
        }
        if (!TryHex(parts[2], out var secret) || !(label == "CLIENT_RANDOM" ? secret.Length == 48 : secret.Length is 32 or 48))
        {
            Error(file, line, $"{label} secret is not hex of the right length");
            return;
        }
        string key = Convert.ToHexStringLower(random);
        if (!_byClientRandom.TryGetValue(key, out var secrets)) _byClientRandom[key] = secrets = new TlsSessionSecrets();
        switch (label)
        {
            case "CLIENT_RANDOM": secrets.MasterSecret = secret; break;
            case "CLIENT_HANDSHAKE_TRAFFIC_SECRET": secrets.ClientHandshakeTrafficSecret = secret; break;
            case "SERVER_HANDSHAKE_TRAFFIC_SECRET": secrets.ServerHandshakeTrafficSecret = secret; break;
            case "CLIENT_TRAFFIC_SECRET_0": secrets.ClientTrafficSecret0 = secret; break;
            default: secrets.ServerTrafficSecret0 = secret; break;
        }
        Secrets++;
    }

    private void Error(string file, long line, string reason)
    {
        MalformedLines++;
        if (_errors.Count < MaxErrorsKept) _errors.Add(new KeyLogError(file, line, reason));
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 2 != 0) return false;
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Attacker-controlled text in a message: printable ASCII only, capped.</summary>
    private static string Printable(string text)
    {
        var chars = text.Take(40).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray();
        return new string(chars) + (text.Length > 40 ? "..." : "");
    }

    private sealed class FileCursor(string path)
    {
        public string Path { get; } = path;
        public long Offset { get; set; }
        public long Line { get; set; }
        public bool ReportedUnreadable { get; set; }
    }
}
