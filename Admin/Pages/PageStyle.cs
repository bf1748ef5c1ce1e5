namespace ShadowMcp.Admin.Pages;

/// <summary>The one stylesheet, inline (the UI loads no external assets), and the confirm script.</summary>
internal static class PageStyle
{
    public const string Css = """
        :root{--fg:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#f6f7f9;--accent:#1f5fbf;--bad:#b42318;--good:#067647;--warn:#b54708}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        header{display:flex;align-items:center;gap:1.5rem;padding:.6rem 1.5rem;background:#18202f;color:#fff}
        header .brand{font-weight:700;letter-spacing:.02em}
        header nav a{color:#c9d3e6;text-decoration:none;margin-right:1rem}
        header nav a.active,header nav a:hover{color:#fff;border-bottom:2px solid #7fb0ff}
        header form{margin-left:auto}
        header .who{margin-left:auto;color:#c9d3e6}
        header .who+form{margin-left:0}
        main{padding:1.2rem 1.5rem;max-width:1400px;overflow-wrap:anywhere}
        h1{font-size:1.35rem;margin:.2rem 0 1rem}
        h2{font-size:1.1rem;margin:1.5rem 0 .6rem}
        h1 .mono{font-size:1.2rem}
        a{color:var(--accent)}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
        th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
        th{background:#eef1f6;font-weight:600}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
        td.note{white-space:pre-wrap;max-width:40rem}
        pre{white-space:pre-wrap;word-break:break-all;background:#f1f3f7;padding:.4rem;margin:0;border-radius:4px}
        .badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:12px;font-weight:600;border:1px solid}
        .v-shadow{color:var(--bad);border-color:var(--bad);background:#fef3f2}
        .v-suspected{color:var(--warn);border-color:var(--warn);background:#fffaeb}
        .v-sanctioned{color:var(--good);border-color:var(--good);background:#ecfdf3}
        .filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin-bottom:1rem;background:#fff;padding:.7rem;border:1px solid var(--line)}
        .filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
        input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid #b8bfcc;border-radius:4px}
        button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
        button.danger{background:var(--bad);border-color:var(--bad)}
        button.link{background:none;border:none;color:#c9d3e6;padding:0}
        .notice{padding:.6rem .8rem;border-radius:4px;margin:0 0 1rem;border:1px solid var(--line);background:#fff}
        .notice.error{border-color:var(--bad);color:var(--bad);background:#fef3f2}
        .notice.ok{border-color:var(--good);color:var(--good);background:#ecfdf3}
        .notice.off{border-style:dashed;color:var(--muted)}
        .muted{color:var(--muted)}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;background:#fff;border:1px solid var(--line);padding:.8rem;margin:0}
        dl.facts dt{color:var(--muted)}
        dl.facts dd{margin:0}
        .pager{margin:.8rem 0;display:flex;gap:1rem;align-items:center}
        .login{max-width:380px;margin:5rem auto;background:#fff;border:1px solid var(--line);padding:1.5rem;border-radius:6px}
        .login input{width:100%;margin:.3rem 0 1rem}
        iframe.report{width:100%;height:75vh;border:1px solid var(--line);background:#fff}
        ul.plain{margin:0;padding-left:1.1rem}
        .counts{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;margin:.6rem 0}
        .counts a.current{font-weight:700}
        th a{color:inherit;text-decoration:none}
        th a:hover{text-decoration:underline}
        .tools{display:flex;gap:1.2rem;align-items:center;margin:.4rem 0}
        """;

    /// <summary>Asks before submitting any form marked data-confirm; the message is read from the attribute, never built as code.</summary>
    public const string ConfirmScript = """
        document.addEventListener('submit', function (e) {
          var msg = e.target.getAttribute('data-confirm');
          if (msg && !window.confirm(msg)) { e.preventDefault(); }
        });
        """;
}
