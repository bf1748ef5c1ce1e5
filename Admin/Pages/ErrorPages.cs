using Microsoft.AspNetCore.Http;
using ShadowMcp.Admin.Html;

namespace ShadowMcp.Admin.Pages;

internal static class ErrorPages
{
    public static IResult NotFound(PageContext page, string message)
    {
        var h = new HtmlBuilder();
        h.Add($"<h1>Not found</h1>");
        Fragments.Notice(h, "error", message);
        return Layout.Page(page, "Not found", AdminSection.None, h, StatusCodes.Status404NotFound);
    }

    public static IResult BadRequest(PageContext page, string message)
    {
        var h = new HtmlBuilder();
        h.Add($"<h1>Request refused</h1>");
        Fragments.Notice(h, "error", message);
        return Layout.Page(page, "Request refused", AdminSection.None, h, StatusCodes.Status400BadRequest);
    }
}
