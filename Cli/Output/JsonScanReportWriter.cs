using System.Text.Json;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Cli.Output;

/// <summary>Exactly one JSON document on stdout: {"findings":[...],"stats":{...},"errors":[...]}.</summary>
public sealed class JsonScanReportWriter : IScanReportWriter
{
    public void Write(ScanReport report, TextWriter stdout)
    {
        var doc = new
        {
            findings = report.Findings.Select(FindingDocument.From).ToArray(),
            stats = new
            {
                files = report.Stats.Files,
                packets = report.Stats.Packets,
                bytes = report.Stats.Bytes,
                flows = report.Stats.Flows,
                malformed = report.Stats.Malformed,
                fragments = report.Stats.Fragments,
                flowEvictions = report.Stats.FlowEvictions,
                segmentsDropped = report.Stats.SegmentsDropped,
                gapBytes = report.Stats.GapBytes,
                observations = report.Stats.Observations,
                captureReceived = report.Stats.CaptureReceived,
                captureDropped = report.Stats.CaptureDropped,
                captureInterfaceDropped = report.Stats.CaptureInterfaceDropped,
                memoryPeakBytes = report.Stats.MemoryPeakBytes,
                evicted = new
                {
                    stateless = report.Stats.EvictedStateless, halfOpen = report.Stats.EvictedHalfOpen,
                    oneWay = report.Stats.EvictedOneWay, twoWay = report.Stats.EvictedTwoWay,
                },
                analyzerFaults = report.Stats.AnalyzerFaults,
                anomalies = report.Stats.Anomalies.Select(a => new { name = a.Name, flow = a.Flow, offset = a.Offset, time = a.Time })
                    .ToArray(),
                tlsDecryptedFlows = report.Stats.TlsDecryptedFlows,
                tlsFlowsWithoutKeys = report.Stats.TlsFlowsWithoutKeys,
                tlsBadRecords = report.Stats.TlsBadRecords,
                tls = new
                {
                    recordsDecrypted = report.Stats.TlsRecordsDecrypted,
                    recordsUndecryptable = report.Stats.TlsRecordsUndecryptable,
                    unsupportedCipherFlows = report.Stats.TlsUnsupportedCipherFlows,
                    decryptedUnrecognized = report.Stats.TlsDecryptedUnrecognized,
                },
                http2 = new
                {
                    frames = report.Stats.Http2Frames, stopped = report.Stats.Http2Stopped,
                    hpackErrors = report.Stats.Http2HpackErrors, hpackBombs = report.Stats.Http2HpackBombs,
                    streamsRefused = report.Stats.Http2StreamsRefused,
                },
                decompression = new
                {
                    bombsCapped = report.Stats.DecompressionBombs, corrupt = report.Stats.CompressedBodiesCorrupt,
                },
                // Answers for sanctioned names from resolvers off the trusted list (settings: trustedResolvers), ignored.
                untrustedResolverAnswers = report.Stats.UntrustedResolverAnswers,
                // What the classifier's bounded tables gave up (a flood, or a network bigger than the limits); zeros otherwise.
                endpointLimits = new
                {
                    hitsFolded = report.Stats.EndpointHitsFolded, endpointsEvicted = report.Stats.EndpointsEvicted,
                    contextEndpointsEvicted = report.Stats.ContextEndpointsEvicted,
                    addressNamesForgotten = report.Stats.AddressNamesForgotten,
                    clientsDisplaced = report.Stats.ClientsDisplaced, namesDisplaced = report.Stats.NamesDisplaced,
                },
            },
            errors = report.Errors.Select(e => new { file = e.File, offset = e.Offset, message = e.Message }).ToArray(),
        };
        stdout.WriteLine(JsonSerializer.Serialize(doc, JsonDefaults.Indented));
    }
}
