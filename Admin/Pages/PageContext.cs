using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ShadowMcp.Admin.Html;

namespace ShadowMcp.Admin.Pages;

/// <summary>What a page needs besides its data: the URL prefix, the CSP nonce and the anti-forgery form field.</summary>
internal sealed class PageContext
{
    private HtmlRaw? _csrf;

    public PageContext(HttpContext http, string prefix)
    {
        Http = http;
        Prefix = prefix;
        Nonce = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    }

    public HttpContext Http { get; }
    public string Prefix { get; }
    public string Nonce { get; }
    public CancellationToken Aborted => Http.RequestAborted;

    public string Url(string path) => Prefix + path;

    /// <summary>The hidden anti-forgery input for a POST form (and its cookie on the response).</summary>
    public HtmlRaw CsrfField
    {
        get
        {
            if (_csrf is { } made) return made;
            var tokens = Http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Http);
            var b = new HtmlBuilder().Add($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
            _csrf = new HtmlRaw(b.ToString());
            return _csrf.Value;
        }
    }

    public T Service<T>() where T : notnull => Http.RequestServices.GetRequiredService<T>();
}
