using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// The audit log's two secrets, kept outside the store: the HMAC key that makes row hashes unforgeable without
/// it, and the Ed25519 key that signs checkpoints. The portal creates missing key files (mode 0600) on first
/// start; the verifier only reads them.
/// </summary>
internal sealed class AuditKeys
{
    public const string DefaultKeyName = "portal-audit.key";
    public const string DefaultSigningKeyName = "portal-checkpoint.key";
    private const int MinKeyBytes = 16;

    private AuditKeys(byte[]? hmacKey, Ed25519PrivateKeyParameters? signingKey, Ed25519PublicKeyParameters? publicKey)
    {
        HmacKey = hmacKey;
        SigningKey = signingKey;
        PublicKey = publicKey ?? signingKey?.GeneratePublicKey();
    }

    public byte[]? HmacKey { get; }
    public Ed25519PrivateKeyParameters? SigningKey { get; }
    public Ed25519PublicKeyParameters? PublicKey { get; }

    /// <summary>Keys for the running portal: read, or created when their files are absent.</summary>
    public static AuditKeys LoadOrCreate(AuditSettings settings, string keyDirectory)
    {
        var hmac = FromEnv(settings) ?? ReadOrCreate(KeyPath(settings, keyDirectory), () => RandomNumberGenerator.GetBytes(32));
        var signingPath = SigningKeyPath(settings, keyDirectory);
        var seed = ReadOrCreate(signingPath, () => RandomNumberGenerator.GetBytes(Ed25519PrivateKeyParameters.KeySize));
        if (seed.Length != Ed25519PrivateKeyParameters.KeySize)
            throw new InvalidOperationException($"{signingPath}: an Ed25519 seed has {Ed25519PrivateKeyParameters.KeySize} bytes, this file holds {seed.Length}");
        var signing = new Ed25519PrivateKeyParameters(seed);
        var pub = signing.GeneratePublicKey().GetEncoded();
        WritePublicKey(signingPath + ".pub", pub);
        return new AuditKeys(hmac, signing, null);
    }

    /// <summary>Keys for verification: whatever exists (the HMAC key, the checkpoint public key); nothing is created.</summary>
    public static AuditKeys ReadOnly(AuditSettings settings, string keyDirectory, string? keyFile = null, string? publicKeyFile = null)
    {
        var hmacPath = keyFile ?? KeyPath(settings, keyDirectory);
        var hmac = (keyFile is null ? FromEnv(settings) : null)
            ?? (File.Exists(hmacPath) ? ParseKey(File.ReadAllText(hmacPath), hmacPath) : null);
        var pubPath = publicKeyFile ?? SigningKeyPath(settings, keyDirectory) + ".pub";
        var pub = File.Exists(pubPath) ? new Ed25519PublicKeyParameters(ParseKey(File.ReadAllText(pubPath), pubPath)) : null;
        return new AuditKeys(hmac, null, pub);
    }

    /// <summary>Keys found in a store's key directory with default settings (what `audit verify --db` and the admin UI use).</summary>
    public static AuditKeys Beside(string keyDirectory) => ReadOnly(new AuditSettings(), keyDirectory);

    public static string KeyPath(AuditSettings settings, string keyDirectory) =>
        settings.KeyFile ?? Path.Combine(keyDirectory, DefaultKeyName);

    public static string SigningKeyPath(AuditSettings settings, string keyDirectory) =>
        settings.SigningKeyFile ?? Path.Combine(keyDirectory, DefaultSigningKeyName);

    private static byte[]? FromEnv(AuditSettings settings)
    {
        if (settings.KeyEnv is not { Length: > 0 } name) return null;
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value)) throw new InvalidOperationException($"portal.audit.keyEnv names {name}, which is not set");
        return ParseKey(value, "$" + name);
    }

    /// <summary>
    /// Reads the key, or creates it when absent. Replicas sharing a key folder may start at the same moment: creators
    /// take turns under a machine-wide named mutex, the key is written whole to a private temporary
    /// file and renamed into place, so a reader never sees a half-written key and every process ends up with the one
    /// key on disk. (A rename that refuses to replace is not enough: .NET checks and renames in two steps.)
    /// </summary>
    private static byte[] ReadOrCreate(string path, Func<byte[]> create)
    {
        if (File.Exists(path)) return ParseKey(File.ReadAllText(path), path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var turn = TakeCreationTurn(path);
        if (File.Exists(path)) return ParseKey(File.ReadAllText(path), path); // made while this process waited
        var key = create();
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, PrivateFile(FileMode.CreateNew)))
            using (var writer = new StreamWriter(file))
            {
                writer.WriteLine(Convert.ToHexStringLower(key));
                writer.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: false);
            return key;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// A machine-wide named mutex per key file, held by one key creator at a time: a blocking wait on the creator
    /// before it, with no polling. A creator that died holding it hands it over (abandoned), which is fine here:
    /// the key is only renamed into place once whole.
    /// </summary>
    private static CreationTurn TakeCreationTurn(string keyPath)
    {
        var name = "shadowmcp-audit-key-" + Convert.ToHexStringLower(
            SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(keyPath))), 0, 16);
        var mutex = new Mutex(false, name);
        try { mutex.WaitOne(); }
        catch (AbandonedMutexException) { } // ours now
        return new CreationTurn(mutex);
    }

    private sealed class CreationTurn(Mutex mutex) : IDisposable
    {
        public void Dispose()
        {
            mutex.ReleaseMutex();
            mutex.Dispose();
        }
    }

    private static FileStreamOptions PrivateFile(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }

    /// <summary>Writes the checkpoint public key for verifiers, whole or not at all (renamed into place).</summary>
    private static void WritePublicKey(string path, byte[] publicKey)
    {
        var text = Convert.ToHexStringLower(publicKey) + "\n";
        if (File.Exists(path) && File.ReadAllText(path) == text) return;
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static byte[] ParseKey(string text, string source)
    {
        text = text.Trim();
        byte[] key;
        try
        {
            key = text.Length % 2 == 0 && text.All(char.IsAsciiHexDigit) ? Convert.FromHexString(text) : Convert.FromBase64String(text);
        }
        catch (FormatException) { throw new InvalidOperationException($"{source}: not a hex or base64 key"); }
        // An empty or short key would make the row hashes forgeable; it is refused, never used.
        if (key.Length < MinKeyBytes)
            throw new InvalidOperationException($"{source}: a key needs at least {MinKeyBytes} bytes, this one has {key.Length}");
        return key;
    }
}
