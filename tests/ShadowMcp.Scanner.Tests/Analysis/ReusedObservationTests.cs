using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Decryption;

namespace ShadowMcp.Scanner.Tests.Analysis;

/// <summary>
/// A sink that keeps no observation (the scan's aggregator) is handed one observation and one field bag, refilled for
/// every emission. What it reads during each Emit must be exactly what a sink that keeps observations gets: same
/// kinds, flows, times, sources, bases and fields in the same order, on every capture the repository ships.
/// </summary>
public class ReusedObservationTests
{
    public static IEnumerable<TestCaseData> Captures() =>
        ObservationContractTests.Captures().Select(c => new TestCaseData(c.Arguments).SetName(
            $"Scan_{Path.GetFileName((string)c.Arguments[0]!)}_ReusedObservationsReadAsFreshOnes"));

    [TestCaseSource(nameof(Captures))]
    public void Scan_ReusedObservationsReadAsFreshOnes(string relativePath)
    {
        var path = Path.Combine(ObservationContractTests.RepositoryRoot(), relativePath);
        var fresh = new ObservationList();
        var reused = new ReadingSink();

        Scan(path, fresh);
        Scan(path, reused);

        Assert.That(fresh.Items, Is.Not.Empty, "the capture yields observations");
        Assert.That(reused.Texts, Is.EqualTo(fresh.Items.Select(Describe).ToList()));
        // One observation refilled per emitter: the plaintext one, and the decrypted one where a key log applies.
        Assert.That(reused.Distinct.Count, Is.EqualTo(fresh.Items.Any(o => o.Basis == ObservationBasis.Decrypted) ? 2 : 1));
    }

    private static void Scan(string path, IObservationSink sink)
    {
        var keys = Path.Combine(Path.GetDirectoryName(path)!, "..", "keys", Path.GetFileNameWithoutExtension(path) + ".keys");
        TlsKeyLog? keyLog = null;
        if (File.Exists(keys))
        {
            keyLog = new TlsKeyLog();
            keyLog.AddFile(keys);
        }
        var result = new CaptureFileScanner().Scan(path, new DefaultAnalyzerFactory(sink, "reuse") { KeyLog = keyLog }, new ScanStats());
        Assert.That(result.Completed, Is.True, result.Error?.Message);
    }

    private static string Describe(Observation o) =>
        $"{o.Kind}|{o.Flow}|{o.Time:O}|{o.Source}|{o.Basis}|{string.Join("\n", o.Fields.Select(f => f.Key + "=" + f.Value))}";

    /// <summary>Reads each observation during Emit, as the aggregator does, and keeps only what it read.</summary>
    private sealed class ReadingSink : IObservationSink
    {
        public List<string> Texts { get; } = [];
        public HashSet<Observation> Distinct { get; } = new(ReferenceEqualityComparer.Instance);

        public void Emit(Observation observation)
        {
            Texts.Add(Describe(observation));
            Distinct.Add(observation);
        }

        public bool KeepsObservations => false;
    }
}
