using System.ComponentModel;
using ModelContextProtocol.Server;

namespace ShadowMcp.Corpus;

/// <summary>One static resource, so resources/list and resources/read have content.</summary>
[McpServerResourceType]
internal sealed class CorpusResources
{
    [McpServerResource(UriTemplate = "corpus://readme", Name = "readme", MimeType = "text/plain"), Description("Corpus readme.")]
    public static string Readme() => "This server exists to be captured.";
}
