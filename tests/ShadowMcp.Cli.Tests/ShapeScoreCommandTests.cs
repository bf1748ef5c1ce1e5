using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// `shadowmcp shape score TABLE --model M`: every row of a committed feature table scored by a model file, counted
/// per family, client stack and transport. On the held-out split it must give the figures CI holds the shipped model
/// to, on the eleventh round's table the counts the keyless scans of its captures gave (docs/shape-classifier.md),
/// and a broken table or a model of other features is refused naming the file, the line and the column.
/// </summary>
[Category("Integration")]
public sealed class ShapeScoreCommandTests
{
    private static string Shape(string file) => Path.Combine(RepoPaths.Corpus, "shape", file);
    private static string ShippedModel => Path.Combine(RepoPaths.Root, "Classifier", "Shape", "shape-model.json");
    private static string Work(string name) => Path.Combine(TestContext.CurrentContext.WorkDirectory, name);

    [Test]
    public void HeldOutSplit_ShippedModel_GivesTheCiFigures()
    {
        var r = CliProcess.Run("shape", "score", Shape("holdout.csv"), "--model", ShippedModel);

        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.Zero, r.Stderr);
            Assert.That(r.Stdout, Does.Contain("Threshold 0.8685: MCP flows marked mcp 176/182 (96.7 %); " +
                "non-MCP flows marked mcp 1/92 (1.1 %)."));
            Assert.That(r.Stdout, Does.Contain("| eth-rpc | not-mcp | 1/7 |"));
        });
    }

    [Test]
    public void Json_EveryGroupingCountsEveryRowOnce()
    {
        var r = CliProcess.Run("shape", "score", Shape("holdout.csv"), "--model", ShippedModel, "--json");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var doc = JsonNode.Parse(r.Stdout)!;
        Assert.Multiple(() =>
        {
            Assert.That((int)doc["mcp"]!["marked"]!, Is.EqualTo(176));
            Assert.That((int)doc["mcp"]!["total"]!, Is.EqualTo(182));
            Assert.That((int)doc["notMcp"]!["marked"]!, Is.EqualTo(1));
            Assert.That((int)doc["notMcp"]!["total"]!, Is.EqualTo(92));
            Assert.That((double)doc["threshold"]!, Is.EqualTo(0.8685));
            foreach (var grouping in new[] { "families", "stacks", "transports" })
            {
                var groups = doc[grouping]!.AsArray();
                Assert.That(groups.Sum(g => (int)g!["total"]!), Is.EqualTo(182 + 92), grouping);
                Assert.That(groups.Sum(g => (int)g!["marked"]!), Is.EqualTo(176 + 1), grouping);
            }
        });
    }

    [Test]
    public void FamiliesNeverTrainedOn_GiveTheCountsOfTheKeylessScans()
    {
        var scores = Work("eleventh-scores.csv");

        var at = CliProcess.Run("shape", "score", Shape("eleventh.csv"), "--model", ShippedModel, "--scores", scores);
        var half = CliProcess.Run("shape", "score", Shape("eleventh.csv"), "--model", ShippedModel, "--threshold", "0.5");

        var lines = File.ReadAllLines(scores);
        Assert.Multiple(() =>
        {
            Assert.That(at.ExitCode, Is.Zero, at.Stderr);
            Assert.That(at.Stdout, Does.Contain("non-MCP flows marked mcp 4/344 (1.2 %)"));
            Assert.That(at.Stdout, Does.Contain("| connect-rpc | not-mcp | 2/65 | 0.945 |"));
            Assert.That(at.Stdout, Does.Contain("| eth-node | not-mcp | 1/48 | 0.87 |"));
            Assert.That(at.Stdout, Does.Contain("| yoga-sse | not-mcp | 1/79 | 0.876 |"));
            Assert.That(half.Stdout, Does.Contain("Threshold 0.5: MCP flows marked mcp 0/0 (0.0 %); " +
                "non-MCP flows marked mcp 24/344 (7.0 %)."));
            Assert.That(lines[0], Is.EqualTo("flow,session,family,client_stack,transport,label,score"));
            Assert.That(lines.Skip(1).Count(l => double.Parse(l[(l.LastIndexOf(',') + 1)..],
                System.Globalization.CultureInfo.InvariantCulture) >= 0.8685), Is.EqualTo(4));
        });
    }

    /// <summary>
    /// The independent captures have no session plan: `shape features --keylog` without one labels each flow by
    /// decryption under the capture's name, and the scores are the keyless scan's (independent.sh's figures).
    /// </summary>
    [TestCase("ts-tls13-stateful", "MCP flows marked mcp 3/3 (100.0 %); non-MCP flows marked mcp 0/0")]
    [TestCase("ts-client-cs-server-tls13", "MCP flows marked mcp 1/3 (33.3 %); non-MCP flows marked mcp 0/0")]
    [TestCase("tls-lookalike-rest-mcp", "MCP flows marked mcp 0/0 (0.0 %); non-MCP flows marked mcp 1/2 (50.0 %)")]
    public void CaptureWithoutPlan_LabelledByDecryption_ScoredAsTheKeylessScan(string capture, string counts)
    {
        var table = Work($"{capture}.csv");
        var tls = Path.Combine(RepoPaths.Corpus, "tls");

        var features = CliProcess.Run("shape", "features", Path.Combine(tls, "pcaps", $"{capture}.pcap"),
            "--keylog", Path.Combine(tls, "keys", $"{capture}.keys"), "-o", table);
        var r = CliProcess.Run("shape", "score", table, "--model", ShippedModel);

        Assert.Multiple(() =>
        {
            Assert.That(features.ExitCode, Is.Zero, features.Stderr);
            Assert.That(r.ExitCode, Is.Zero, r.Stderr);
            Assert.That(r.Stdout, Does.Contain(counts));
            Assert.That(r.Stdout, Does.Contain($"| {(counts.Contains("0/0 (0.0 %); non", StringComparison.Ordinal) ? "" : "mcp:")}{capture} |"));
        });
    }

    [Test]
    public void BrokenTable_RefusedNamingFileLineAndColumn()
    {
        var lines = File.ReadAllLines(Shape("holdout.csv"));
        var cells = lines[4].Split(',');
        cells[11] = "n/a"; // column 12, server_records_per_client_record
        lines[4] = string.Join(',', cells);
        var broken = Work("broken.csv");
        File.WriteAllLines(broken, lines);

        var r = CliProcess.Run("shape", "score", broken, "--model", ShippedModel);

        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.Stderr, Does.Contain($"{broken}:5: column 12 (server_records_per_client_record): `n/a` is not a number"));
            Assert.That(r.Stdout, Is.Empty);
        });
    }

    [Test]
    public void ModelOfOtherFeatures_RefusedNamingTheColumnAndTheModel()
    {
        var model = JsonNode.Parse(File.ReadAllText(ShippedModel))!;
        model["features"]![3] = "log_pairs_per_second";
        var other = Work("other-features.json");
        File.WriteAllText(other, model.ToJsonString());

        var r = CliProcess.Run("shape", "score", Shape("holdout.csv"), "--model", other);

        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.Stderr, Does.Contain($"{Shape("holdout.csv")}:1: header: column 10 is `log_request_answer_ratio`, " +
                $"expected `log_pairs_per_second` (the features of the model {other})"));
        });
    }

    [Test]
    public void NotAModel_RefusedNamingTheFile()
    {
        var bad = Work("not-a-model.json");
        File.WriteAllText(bad, "{\"features\": [\"log_bytes_ratio\"], \"trees\": [");

        var r = CliProcess.Run("shape", "score", Shape("holdout.csv"), "--model", bad);

        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.Stderr, Does.Contain($"{bad}: not a shape model"));
        });
    }

    [TestCase("1.5")]
    [TestCase("NaN")]
    public void ThresholdOutsideZeroToOne_Refused(string threshold)
    {
        var r = CliProcess.Run("shape", "score", Shape("holdout.csv"), "--model", ShippedModel, "--threshold", threshold);

        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.Stderr, Does.Contain($"--threshold: {threshold} is not between 0 and 1"));
        });
    }
}
