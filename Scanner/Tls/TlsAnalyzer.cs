using System.Buffers;
using System.Security.Cryptography;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Decryption;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// One TLS connection, both ways: frames records, reads the ClientHello (SNI, ALPN, JA4) and ServerHello (version,
/// cipher, JA4S), keeps the shape of the first application-data records, and, when the key log holds this
/// session's secrets, decrypts the records and feeds the plaintext to the analyzer the factory picks for it.
/// The initiator is the client (the factory creates this analyzer when the initiator sends a handshake record).
/// Memory is bounded per connection: one record buffer per direction while a record spans segments, one handshake
/// message buffer, one plaintext buffer while decrypting, and the configured number of record shapes.
/// </summary>
internal sealed class TlsAnalyzer : ITcpStreamAnalyzer, ITlsRecordHandler, ITlsHandshakeHandler, IHoldsBytes
{
    // The analyzer's own objects (two sides, summary, hello fields, delegates) before any buffer; measured roughly.
    private const int FixedBytes = 1536;

    // What an inner analyzer that does not report its state is charged (the same estimate the flow table uses).
    private const int UnreportedInnerBytes = 16 * 1024;

    private const int HeldPlaintextBytes = 16 * 1024;

    private readonly FlowEndpoints _endpoints;
    private readonly ObservationEmitter _emitter;
    private readonly TlsContext _context;
    private readonly int _shapesPerDirection;
    private readonly TlsSide _client;
    private readonly TlsSide _server;
    private readonly TlsFlowSummary _summary;
    private readonly int _maxHelloBytes;

    private ClientHelloInfo? _clientHello;
    private ServerHelloInfo? _serverHello;
    private TlsCipherSuite? _suite;
    private TlsSessionSecrets? _secrets;
    private bool _serverHelloPending;
    private bool _closed;
    private bool _applicationStarted;
    private int _clientHandshakeRecords;
    private bool _counted;
    private DateTime _time;
    private byte[]? _plaintext;
    private ITcpStreamAnalyzer? _inner;
    private bool _innerDone;
    private byte[]? _held;
    private bool _heldFromClient;

    public TlsAnalyzer(FlowEndpoints endpoints, ObservationEmitter emitter, AnalyzerOptions options, TlsContext context)
    {
        _endpoints = endpoints;
        _emitter = emitter;
        _context = context;
        _shapesPerDirection = options.TlsRecordShapesPerDirection;
        _maxHelloBytes = options.TlsMaxClientHelloBytes;
        _client = new TlsSide(fromClient: true, Math.Max(_maxHelloBytes, 16 * 1024));
        _server = new TlsSide(fromClient: false, Math.Max(_maxHelloBytes, 16 * 1024));
        _summary = new TlsFlowSummary { Flow = endpoints.AsFlowRef() };
    }

    /// <summary>Real bytes held: record and handshake buffers, the plaintext buffer, held plaintext and the
    /// analyzer reading the plaintext, so a half-open TLS flow is charged what it costs, not a fixed guess.</summary>
    public long HeldBytes => FixedBytes + _client.HeldBytes + _server.HeldBytes + (_plaintext?.Length ?? 0)
        + (_held?.Length ?? 0) + _inner switch
        {
            null => 0,
            IHoldsBytes inner => inner.HeldBytes,
            _ => UnreportedInnerBytes,
        };

    private bool Tls13 => _serverHello?.Version == TlsVersions.Tls13;

    private AnalyzerCounters Counters => _emitter.Counters;

    public bool WantsMoreData
    {
        get
        {
            if (_closed || (_client.Records.Stopped && _server.Records.Stopped)) return false;
            if (_serverHello is null || _serverHelloPending) return true;
            if ((_client.Decrypting || _server.Decrypting) && !_innerDone) return true;
            return _client.Shapes < _shapesPerDirection || _server.Shapes < _shapesPerDirection;
        }
    }

    public void OnData(bool fromInitiator, ReadOnlySpan<byte> data, DateTime time)
    {
        if (_closed || data.IsEmpty) return;
        if (_summary.Start == default) _summary.Start = time;
        var side = fromInitiator ? _client : _server;
        if (side.Records.Stopped) return;
        side.Records.Feed(data, this, time);
        if (side.Records.Malformed)
        {
            if (fromInitiator && _clientHello is null) NotClientHello();
            else Counters.TlsRecordsMalformed++;
            StopSide(side, time);
        }
    }

    public void OnGap(bool fromInitiator, long missingBytes, DateTime time)
    {
        var side = fromInitiator ? _client : _server;
        if (_closed || side.Records.Stopped) return;
        if (fromInitiator && _clientHello is null) NotClientHello();
        // Record boundaries and sequence numbers are lost with the bytes: this direction cannot go on.
        StopSide(side, time);
        if (!_innerDone) _inner?.OnGap(fromInitiator, missingBytes, time);
    }

    public void OnClose(DateTime time)
    {
        if (_closed) return;
        if (_clientHello is null) NotClientHello();
        EmitServerHelloIfPending(time);
        if (!_innerDone) _inner?.OnClose(time);
        _closed = true;
        _client.Release();
        _server.Release();
        if (_plaintext is not null) ArrayPool<byte>.Shared.Return(_plaintext);
        _plaintext = null;
        _held = null;
        if (_clientHello is not null && _context.Flows is { } flows)
        {
            _summary.Seal();
            flows.OnTlsFlow(_summary);
        }
        else
        {
            _summary.Release();
        }
    }

    public bool WantsBody(bool fromClient, byte type, int length)
    {
        var side = fromClient ? _client : _server;
        if (!side.Encrypted) return type == TlsContentType.Handshake;
        return type != TlsContentType.ChangeCipherSpec && side.Decrypting;
    }

    public void OnRecord(bool fromClient, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, bool bodyKept, DateTime time)
    {
        _time = time;
        var side = fromClient ? _client : _server;
        byte type = header[0];
        int length = (header[3] << 8) | header[4];
        if (type == TlsContentType.ApplicationData) AddShape(side, length, time);
        if (!side.Encrypted)
        {
            if (type == TlsContentType.Handshake) side.Handshake.Feed(body, KeepPlainHandshake, this, fromClient);
            else if (type == TlsContentType.ChangeCipherSpec && _serverHello is not null && !Tls13) StartTls12Encryption(side, time);
            return;
        }
        if (type == TlsContentType.ChangeCipherSpec || !bodyKept || !side.Decrypting) return;
        Decrypt(side, header, body, time);
    }

    private void Decrypt(TlsSide side, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, DateTime time)
    {
        _plaintext ??= ArrayPool<byte>.Shared.Rent(TlsRecordStream.MaxRecordBody);
        int written;
        bool opened;
        try
        {
            opened = side.Decryptor!.TryOpen(header, body, _plaintext, out written);
        }
        catch (CryptographicException)
        {
            opened = false;
            written = 0;
        }
        if (!opened)
        {
            // Wrong keys, a corrupt record, or a record we cannot attribute: nothing later in this direction is trusted.
            Counters.TlsRecordsUndecryptable++;
            side.StopDecrypting();
            EmitServerHelloIfPending(time);
            return;
        }
        Counters.TlsRecordsDecrypted++;
        if (!_summary.Decrypted)
        {
            _summary.Decrypted = true;
            Counters.TlsFlowsDecrypted++;
        }
        var content = _plaintext.AsSpan(0, written);
        byte type = header[0];
        if (Tls13)
        {
            int last = content.LastIndexOfAnyExcept((byte)0);
            if (last < 0) return;
            type = content[last];
            content = content[..last];
        }
        switch (type)
        {
            case TlsContentType.ApplicationData:
                DeliverPlaintext(side.FromClient, content, time);
                break;
            case TlsContentType.Handshake:
                side.Handshake.Feed(content, KeepEncryptedHandshake, this, side.FromClient);
                side.ApplyPendingKeys(_suite!);
                break;
        }
    }

    private static bool KeepPlainHandshake(int type) => type is 1 or 2 or 4;

    private static bool KeepEncryptedHandshake(int type) => type is 8 or 24;

    public void OnHandshake(bool fromClient, int type, ReadOnlySpan<byte> body, bool kept)
    {
        var side = fromClient ? _client : _server;
        switch (type)
        {
            case 1 when side.FromClient && _clientHello is null:
                OnClientHello(body, kept);
                break;
            case 2 when !side.FromClient && kept:
                OnServerHello(body);
                break;
            case 4 when !side.FromClient && kept && !side.Encrypted:
                RememberTicket(body);
                break;
            case 8 when !side.FromClient && kept && _serverHello is not null:
                ServerHelloParser.ReadEncryptedExtensions(body, _serverHello);
                EmitServerHelloIfPending(_time);
                break;
            case 20 when Tls13:
                // Finished ends this side's handshake: the next record uses its application traffic secret.
                side.PendingSecret = side.FromClient ? _secrets?.ClientTrafficSecret0 : _secrets?.ServerTrafficSecret0;
                side.PendingSwitch = true;
                break;
            case 24 when Tls13 && side.TrafficSecret is not null:
                side.PendingSecret = TlsKeySchedule.NextTrafficSecret(_suite!.Hash, side.TrafficSecret);
                side.PendingSwitch = true;
                break;
            default:
                if (side.FromClient && _clientHello is null) NotClientHello();
                break;
        }
    }

    private void OnClientHello(ReadOnlySpan<byte> body, bool kept)
    {
        var hello = kept ? ClientHelloParser.Parse(body) : null;
        if (hello is null)
        {
            NotClientHello();
            return;
        }
        _clientHello = hello;
        _context.Flows?.OnTlsFlowStarted(_summary);
        string ja4 = Ja4.Client(hello);
        _summary.Sni = hello.ServerName;
        _summary.AlpnOffered = hello.Alpn;
        _summary.Ja4 = ja4;
        var fields = _emitter.Fields(6);
        if (hello.ServerName is not null) fields.Add("sni", hello.ServerName);
        foreach (var protocol in hello.Alpn) fields.Add("alpn", protocol);
        fields.Add("version", TlsVersions.LongName(hello.HighestVersion)).Add("ja4", ja4);
        _emitter.Emit(ObservationKinds.TlsClientHello, _endpoints.AsFlowRef(), _time, fields);
    }

    private void OnServerHello(ReadOnlySpan<byte> body)
    {
        if (_clientHello is null || _serverHello is not null) return;
        var hello = ServerHelloParser.Parse(body);
        if (hello is null)
        {
            Counters.TlsRecordsMalformed++;
            StopSide(_server, _time);
            return;
        }
        if (hello.IsHelloRetryRequest) return; // the real ServerHello follows the client's second hello
        _serverHello = hello;
        _suite = TlsCipherSuite.Find(hello.CipherSuite);
        _summary.Version = TlsVersions.ShortName(hello.Version);
        _summary.Cipher = TlsCipherSuite.NameOf(hello.CipherSuite);
        _summary.Ja4s = Ja4.Server(hello);
        _summary.AlpnChosen = hello.Alpn;
        _serverHelloPending = true;
        _secrets = FindSecrets();
        if (hello.Version == TlsVersions.Tls13)
        {
            // Everything after the ServerHello is encrypted both ways (bar compatibility ChangeCipherSpec records).
            _server.Encrypted = _client.Encrypted = true;
            if (_suite is not null && _secrets?.ServerHandshakeTrafficSecret is { } server && _secrets.ClientHandshakeTrafficSecret is { } client)
            {
                _server.UseKeys(TlsRecordDecryptor.ForTls13(_suite, server), server);
                _client.UseKeys(TlsRecordDecryptor.ForTls13(_suite, client), client);
                return; // tls.serverhello waits for EncryptedExtensions, which holds the chosen ALPN
            }
            CountUndecryptable();
        }
        else if (_suite is null || MasterSecret() is null)
        {
            CountUndecryptable();
        }
        if (hello.Version != TlsVersions.Tls13 || _server.Decryptor is null) EmitServerHelloIfPending(_time);
    }

    private TlsSessionSecrets? FindSecrets() =>
        _context.KeyLog is { } log && log.TryGet(_clientHello!.Random, out var secrets) ? secrets : null;

    /// <summary>TLS 1.2: the key log's master secret, else one remembered for the resumed session id or ticket.</summary>
    private byte[]? MasterSecret()
    {
        if (_secrets?.MasterSecret is { } master) return master;
        if (_context.KeyLog is not { } log || _serverHello is null || _clientHello is null) return null;
        bool resumedById = _serverHello.SessionId.Length > 0 && _serverHello.SessionId.AsSpan().SequenceEqual(_clientHello.SessionId);
        return (resumedById ? log.FindResumable(_serverHello.SessionId) : null) ?? log.FindResumable(_clientHello.SessionTicket);
    }

    private void StartTls12Encryption(TlsSide side, DateTime time)
    {
        side.Encrypted = true;
        var master = MasterSecret();
        if (_suite is null || master is null) return;
        side.UseKeys(TlsRecordDecryptor.ForTls12(_suite, master, _clientHello!.Random, _serverHello!.Random, side.FromClient), null);
        if (_secrets?.MasterSecret is not null) _context.KeyLog!.RememberResumable(_serverHello.SessionId, master);
        EmitServerHelloIfPending(time);
    }

    private void RememberTicket(ReadOnlySpan<byte> body)
    {
        // NewSessionTicket (RFC 5077 3.3): lifetime hint (4 bytes), then the ticket as a 16-bit vector.
        var reader = new TlsReader(body);
        if (_secrets?.MasterSecret is not { } master || !reader.TrySkip(4) || !reader.TryVector16(out var ticket)) return;
        _context.KeyLog!.RememberResumable(ticket, master);
    }

    private void CountUndecryptable()
    {
        if (_counted) return;
        _counted = true;
        if (_suite is null) Counters.TlsFlowsUnsupportedCipher++;
        else Counters.TlsFlowsWithoutKeys++;
    }

    private void EmitServerHelloIfPending(DateTime time)
    {
        if (!_serverHelloPending || _serverHello is null) return;
        _serverHelloPending = false;
        _summary.AlpnChosen = _serverHello.Alpn;
        var fields = _emitter.Fields(4)
            .Add("version", TlsVersions.ShortName(_serverHello.Version))
            .Add("cipher", TlsCipherSuite.NameOf(_serverHello.CipherSuite))
            .AddIfPresent("alpn", _serverHello.Alpn)
            .Add("ja4s", _summary.Ja4s!);
        _emitter.Emit(ObservationKinds.TlsServerHello, _endpoints.AsFlowRef(), time, fields);
    }

    private void AddShape(TlsSide side, int length, DateTime time)
    {
        // TLS 1.3 encrypts the end of its handshake: the server's EncryptedExtensions to Finished, the client's
        // Finished and the server's session tickets all look like application data. They are the TLS library's,
        // not the application's, so the shape starts with the client's second record (its first request): TLS 1.2
        // and 1.3 flows of the same application then look alike.
        if (Tls13 && !_applicationStarted)
        {
            if (!side.FromClient || ++_clientHandshakeRecords < 2) return;
            _applicationStarted = true;
        }
        if (side.FromClient) { _summary.ClientRecords++; _summary.ClientRecordBytes += length; }
        else { _summary.ServerRecords++; _summary.ServerRecordBytes += length; }
        _summary.Count(side.FromClient, length, time);
        if (side.Shapes >= _shapesPerDirection) return;
        side.Shapes++;
        _summary.Add(new TlsRecordShape(side.FromClient, length, time));
    }

    /// <summary>
    /// Hands decrypted application data to the analyzer the factory picks from its first bytes (as for a
    /// plaintext connection). Bytes the factory does not recognise are held (bounded) until the other side speaks.
    /// </summary>
    private void DeliverPlaintext(bool fromClient, ReadOnlySpan<byte> data, DateTime time)
    {
        if (_innerDone || data.IsEmpty || _context.DecryptedFactory is not { } factory) return;
        if (_inner is null)
        {
            _inner = factory.CreateTcp(_endpoints, fromClient, data, _summary.AlpnChosen);
            if (_inner is null)
            {
                if (_held is null) { _held = data[..Math.Min(data.Length, HeldPlaintextBytes)].ToArray(); _heldFromClient = fromClient; }
                else if (_heldFromClient != fromClient) { Counters.TlsDecryptedUnrecognized++; _innerDone = true; _held = null; }
                return;
            }
            _inner.OnData(fromClient, data, time);
            if (_held is { } held && _heldFromClient != fromClient) _inner.OnData(_heldFromClient, held, time);
            _held = null;
        }
        else
        {
            _inner.OnData(fromClient, data, time);
        }
        if (!_inner.WantsMoreData)
        {
            _inner.OnClose(time);
            _innerDone = true;
        }
    }

    private void NotClientHello()
    {
        if (_clientHello is not null || _closed) return;
        Counters.TlsNotClientHello++;
        _client.Records.Stop();
        _server.Records.Stop();
        _closed = true;
        _client.Release();
        _server.Release();
        _summary.Release();
    }

    private void StopSide(TlsSide side, DateTime time)
    {
        side.Records.Stop();
        side.StopDecrypting();
        EmitServerHelloIfPending(time);
    }
}
