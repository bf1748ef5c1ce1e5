using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.Catalogue;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Decryption;

namespace ShadowMcp.Scanner.Tests.Analysis;

/// <summary>
/// The Scanner emits only what <see cref="ObservationCatalogue"/> lists: every analyzer's output on every capture the
/// repository ships (the sample, the detection corpus, the TLS corpus decrypted with its key logs, the shape corpus
/// and the Scanner's own test captures) uses catalogued kinds and fields only, so a rule that lints clean can match.
/// </summary>
public class ObservationContractTests
{
    internal static string RepositoryRoot() => Root();

    private static string Root()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ShadowMcp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (ShadowMcp.sln) not found");
    }

    public static IEnumerable<TestCaseData> Captures()
    {
        var root = Root();
        string[] folders = ["samples", "tests/corpus/pcaps", "tests/corpus/tls/pcaps", "tests/corpus/shape/pcaps", "tests/ShadowMcp.Scanner.Tests/data"];
        foreach (var folder in folders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder)).Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                yield return new TestCaseData(Path.GetRelativePath(root, file)).SetName($"Scan_{Path.GetFileName(file)}_EmitsOnlyCataloguedFields");
    }

    [TestCaseSource(nameof(Captures))]
    public void Scan_EmitsOnlyCataloguedFields(string relativePath)
    {
        var path = Path.Combine(Root(), relativePath);
        var sink = new ObservationList();
        var keys = Path.Combine(Path.GetDirectoryName(path)!, "..", "keys", Path.GetFileNameWithoutExtension(path) + ".keys");
        TlsKeyLog? keyLog = null;
        if (File.Exists(keys))
        {
            keyLog = new TlsKeyLog();
            keyLog.AddFile(keys);
        }
        var stats = new ScanStats();

        var result = new CaptureFileScanner().Scan(path, new DefaultAnalyzerFactory(sink, "contract") { KeyLog = keyLog }, stats);

        Assert.That(result.Completed, Is.True, result.Error?.Message);
        // The TLS corpus must be walked decrypted, or its HTTP and JSON-RPC fields go unchecked.
        if (keyLog is not null) Assert.That(sink.Items.Any(o => o.Basis == ObservationBasis.Decrypted), Is.True, "nothing decrypted with " + keys);
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var observation in sink.Items)
        {
            var spec = ObservationCatalogue.Find(observation.Kind);
            if (spec is null)
            {
                unknown.Add($"kind {observation.Kind}");
                continue;
            }
            foreach (var (field, _) in observation.Fields)
                if (spec.FieldFor(field) is null) unknown.Add($"{observation.Kind}: {field}");
        }
        Assert.That(unknown, Is.Empty, "emitted but not in Core/Observations/Catalogue");
    }

    [Test]
    public void Captures_CoverEveryAnalyzerKind()
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var data in Captures())
        {
            var path = Path.Combine(Root(), (string)data.Arguments[0]!);
            var sink = new ObservationList();
            new CaptureFileScanner().Scan(path, new DefaultAnalyzerFactory(sink, "contract"), new ScanStats());
            kinds.UnionWith(sink.Items.Select(o => o.Kind));
        }
        // tls.shape comes from the CLI's shape stage, not from an analyzer.
        Assert.That(kinds, Is.SupersetOf(ObservationKinds.All.Where(k => k != ObservationKinds.TlsShape)));
    }
}
