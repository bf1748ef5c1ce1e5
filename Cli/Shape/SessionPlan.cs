namespace ShadowMcp.Cli.Shape;

/// <summary>One row of tests/corpus/shape sessions.csv: what the generator set up on one server port.</summary>
internal sealed record SessionPlan(
    int Port, string Family, string ClientStack, string ServerStack, string Tls, string Http, string Behaviour)
{
    private const string Header = "port,family,client_stack,server_stack,tls,http,behaviour";

    /// <exception cref="InvalidDataException">Not a session plan.</exception>
    public static Dictionary<int, SessionPlan> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header)
            throw new InvalidDataException($"{path}: header is not `{Header}`");
        var plan = new Dictionary<int, SessionPlan>();
        for (var n = 1; n < lines.Length; n++)
        {
            var c = lines[n].Split(',');
            if (c.Length != 7 || !int.TryParse(c[0], System.Globalization.CultureInfo.InvariantCulture, out var port))
                throw new InvalidDataException($"{path}:{n + 1}: expected 7 cells starting with a port");
            plan[port] = new SessionPlan(port, c[1], c[2], c[3], c[4], c[5], c[6]);
        }
        return plan;
    }
}
