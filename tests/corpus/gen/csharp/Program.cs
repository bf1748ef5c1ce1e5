using ShadowMcp.Corpus;

// Entry point: `server ...` hosts a real MCP server, `client ...` drives one. Both only bind or dial loopback.
// .NET writes SSLKEYLOGFILE only when this switch is on as well (the corpus' TLS scenarios set the variable).
if (Environment.GetEnvironmentVariable("SSLKEYLOGFILE") is not null)
{
    AppContext.SetSwitch("System.Net.EnableSslKeyLogging", true);
}

return args.Length > 0 && args[0] == "client"
    ? await ClientMode.RunAsync(GenArgs.Parse(args[1..]))
    : args.Length > 0 && args[0] == "server"
        ? await ServerMode.RunAsync(GenArgs.Parse(args[1..]))
        : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: corpus-gen server --port P [--path /mcp] [--session stateless|stateful|hybrid] [--legacy-sse] [--oauth] [--host 127.0.0.1|::1] [--name N]");
    Console.Error.WriteLine("       corpus-gen client --url URL [--transport auto|streamable|sse] [--protocol VERSION] [--oauth]");
    return 2;
}
