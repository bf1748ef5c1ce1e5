using ShadowMcp.Fleet.Bench;

// Fleet benchmarks (README "Scale out", docs/fleet.md): findings ingest into PostgreSQL, and portal calls/s with two
// replicas behind HAProxy vs one. Not a test. Needs a PostgreSQL server (bench/fleet/postgres.sh starts a throwaway
// one), haproxy on PATH and the CLI built in Release.
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var server = Option("--db");
if (args.Length == 0 || args[0] is not ("ingest" or "portal") || server is null)
{
    Console.Error.WriteLine("usage: ShadowMcp.Fleet.Bench ingest --db postgres://... --pcap FILE");
    Console.Error.WriteLine("       ShadowMcp.Fleet.Bench portal --db postgres://... [--seconds 10] [--clients 16]");
    return 2;
}
return args[0] == "ingest"
    ? await IngestBench.RunAsync(server, Option("--pcap") ?? throw new ArgumentException("--pcap FILE is required"))
    : await PortalBench.RunAsync(server, int.Parse(Option("--seconds") ?? "10"),
        int.Parse(Option("--clients") ?? "16"));
