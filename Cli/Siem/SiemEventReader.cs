using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;
using ShadowMcp.Enforcer.Engine;
using EnforceCommands = ShadowMcp.Enforcer.Engine.Commands;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Portal.Reading;

namespace ShadowMcp.Cli.Siem;

/// <summary>
/// Reads the store and yields, as OCSF events, what the cursor has not yet seen acknowledged: audit rows after its
/// sequence number, action rows that are new or changed since, findings that are new (Create) or changed (Update).
/// Order: audit, then actions, then findings, each oldest first, so a cursor that advances batch by batch never
/// skips a record. The sequence is lazy; it reads the cursor as batches are acknowledged.
/// </summary>
internal sealed class SiemEventReader(string dbPath, SiemSelection selection, TimeProvider time)
{
    private const int AuditPage = 1000;
    private const int ActionPage = 200;

    public IEnumerable<SiemEvent> Pending(SiemCursor cursor)
    {
        if (selection.Streams.Contains(SiemStream.Audit))
            foreach (var e in Audit(cursor)) yield return e;
        if (selection.Streams.Contains(SiemStream.Actions))
            foreach (var e in Actions(cursor)) yield return e;
        if (selection.Streams.Contains(SiemStream.Findings))
            foreach (var e in Findings(cursor)) yield return e;
    }

    private IEnumerable<SiemEvent> Audit(SiemCursor cursor)
    {
        var reader = new PortalAuditReader(dbPath);
        var after = cursor.AuditSeq;
        while (true)
        {
            var page = reader.After(after, AuditPage);
            foreach (var row in page)
            {
                var json = Ocsf.Serialize(w => OcsfApiActivity.Write(w, row));
                yield return new SiemEvent(SiemStream.Audit, row.Seq.ToString(CultureInfo.InvariantCulture), row.Hash,
                    OcsfApiActivity.ClassUid, OcsfApiActivity.SeverityId(row), row.Time, json);
                after = row.Seq;
            }
            if (page.Count < AuditPage) yield break;
        }
    }

    /// <summary>
    /// Rows after the compacted prefix, a page at a time (a row holds whole backend states). A row is sent when its
    /// fingerprint differs from the delivered one; the prefix grows over rows that are final and delivered.
    /// </summary>
    private IEnumerable<SiemEvent> Actions(SiemCursor cursor)
    {
        var after = cursor.ActionsDoneThrough;
        var doneThrough = after;
        var prefixUnbroken = true;
        while (true)
        {
            List<ActionRow> page;
            using (var store = EnforcerStore.Open(dbPath))
                page = [.. store.Context.Actions.AsNoTracking()
                    .Where(a => a.Id > after && a.Backend != EnforceCommands.TtlBackend).OrderBy(a => a.Id).Take(ActionPage)];
            foreach (var row in page)
            {
                after = row.Id;
                var json = Ocsf.Serialize(w => OcsfNetworkRemediationActivity.Write(w, row));
                var fingerprint = Ocsf.Fingerprint(json);
                var delivered = cursor.Actions.TryGetValue(row.Id, out var sent) && sent == fingerprint;
                if (delivered && prefixUnbroken && row.Result != ActionResults.Pending) doneThrough = row.Id;
                else prefixUnbroken = false;
                if (delivered) continue;
                yield return new SiemEvent(SiemStream.Actions, row.Id.ToString(CultureInfo.InvariantCulture), fingerprint,
                    OcsfNetworkRemediationActivity.ClassUid, OcsfNetworkRemediationActivity.SeverityId(row),
                    new DateTimeOffset(DateTime.SpecifyKind(row.At, DateTimeKind.Utc)), json);
            }
            if (page.Count < ActionPage) break;
        }
        cursor.CompactActions(doneThrough);
    }

    /// <summary>
    /// A finding the cursor knows that is no longer in the store is sent once more as Close, then forgotten.
    /// A finding is "changed" when anything its event says differs: verdict, severity, confidence, last seen, the
    /// evidence and its counts, hosts, clients, tools. The fingerprint is taken over the event written with a fixed
    /// time and activity, so re-reading an unchanged finding never re-sends it.
    /// </summary>
    private IEnumerable<SiemEvent> Findings(SiemCursor cursor)
    {
        IReadOnlyList<ShadowMcp.Core.Findings.Finding> findings;
        Dictionary<string, OcsfDetectionFinding.FindingTriage> triage;
        using (var store = FindingStore.Open(dbPath))
        {
            findings = store.LoadFindings(selection.Verdict);
            triage = store.Context.FindingTriage.AsNoTracking().AsEnumerable().ToDictionary(t => t.EndpointKey,
                t => new OcsfDetectionFinding.FindingTriage(TriageStatusNames.Parse(t.Status), t.Owner), StringComparer.Ordinal);
        }
        var now = time.GetUtcNow();
        foreach (var f in findings)
        {
            var uid = OcsfDetectionFinding.Uid(f);
            var state = triage.GetValueOrDefault(f.Endpoint.Key);
            var fingerprint = Ocsf.Fingerprint(Ocsf.Serialize(w => OcsfDetectionFinding.Write(w, f, DateTimeOffset.UnixEpoch, triage: state)));
            var known = cursor.Findings.TryGetValue(uid, out var sent);
            if (known && sent == fingerprint) continue;
            var activity = known ? OcsfDetectionFinding.ActivityUpdate : OcsfDetectionFinding.ActivityCreate;
            var json = Ocsf.Serialize(w => OcsfDetectionFinding.Write(w, f, now, activity, state));
            yield return new SiemEvent(SiemStream.Findings, uid, fingerprint, OcsfDetectionFinding.ClassUid,
                OcsfDetectionFinding.SeverityId(f), now, json);
        }
        // Only an unfiltered read can tell a finding that is gone from one that no longer matches --verdict.
        if (selection.Verdict is not null) yield break;
        var present = findings.Select(OcsfDetectionFinding.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in cursor.Findings.Keys.Where(k => !present.Contains(k)).Order(StringComparer.Ordinal).ToList())
        {
            var json = Ocsf.Serialize(w => OcsfDetectionFinding.WriteClosed(w, gone, now));
            yield return new SiemEvent(SiemStream.Findings, gone, SiemCursor.Closed, OcsfDetectionFinding.ClassUid, 1, now, json);
        }
    }
}
