using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// A backend whose state is one file the target service reads: rendered from entries, parsed back into
/// entries, written atomically, then an optional reload command. A failed reload puts the old bytes back, so
/// file and running service never disagree.
/// </summary>
internal abstract class FileBackend(string name, string path, IReadOnlyList<string> reload) : IEnforcementBackend
{
    public string Name { get; } = name;
    public string FilePath { get; } = path;
    protected IReadOnlyList<string> Reload { get; } = reload;

    /// <summary>
    /// True when the whole file is ours, so a rollback may put back its exact earlier bytes. A hosts file is
    /// shared with other editors: only its marked section is ours, and it is rendered back instead.
    /// </summary>
    public virtual bool OwnsWholeFile => true;

    /// <summary>Name-based files take host entries as they are; override to reshape them.</summary>
    public virtual IReadOnlyList<BlockEntry> Select(IReadOnlyList<BlockEntry> desired) =>
        [.. desired.Where(e => e.Kind == BlockKind.Host).Distinct()];

    public virtual IEnumerable<Reach> ReachOf(BlockEntry written) => Reach.Default(written);

    /// <summary>What the file says; backends with a daemon override it to report what is live.</summary>
    public virtual Task<IReadOnlyList<BlockEntry>> ReadAsync(CancellationToken ct) => Task.FromResult(ReadFile());

    /// <summary>The entries the file itself says, whatever the service has loaded.</summary>
    public IReadOnlyList<BlockEntry> FileEntries() => ReadFile();

    protected IReadOnlyList<BlockEntry> ReadFile() =>
        FileText.From(AtomicFile.ReadBytesOrNull(FilePath)) is { } text ? Parse(text.Text) : [];

    /// <summary>The file's bytes now (null when it does not exist), for the intent row.</summary>
    public byte[]? Snapshot() => AtomicFile.ReadBytesOrNull(FilePath);

    public async Task ApplyAsync(IReadOnlyList<BlockEntry> state, CancellationToken ct)
    {
        var previous = AtomicFile.ReadBytesOrNull(FilePath);
        var old = FileText.From(previous);
        var text = Render([.. state.Order(BlockEntry.Order)], old?.Text);
        // Nothing to hold and no file before: leave it absent rather than create an empty one.
        if (previous is null && state.Count == 0 && !OwnsWholeFile) return;
        AtomicFile.Write(FilePath, FileText.ToBytes(text, old?.Bom ?? false));
        await ReloadOrRestoreAsync(previous, ct);
    }

    /// <summary>Puts back exact earlier bytes (null = no file) and reloads the service.</summary>
    public async Task RestoreAsync(byte[]? bytes, CancellationToken ct)
    {
        var previous = AtomicFile.ReadBytesOrNull(FilePath);
        AtomicFile.Restore(FilePath, bytes);
        await ReloadOrRestoreAsync(previous, ct);
    }

    private async Task ReloadOrRestoreAsync(byte[]? previous, CancellationToken ct)
    {
        if (Reload.Count == 0) return;
        try
        {
            await ToolRunner.RunCheckedAsync(Reload, null, ct);
        }
        catch (BackendException ex)
        {
            AtomicFile.Restore(FilePath, previous);
            throw new BackendException($"{Name}: reload failed, the previous {Path.GetFileName(FilePath)} was put back: {ex.Message}", ex);
        }
        await AfterReloadAsync(ct);
    }

    /// <summary>For services that reload in the background: wait until the new file is live (or give up quietly;
    /// the engine's read-back then reports what is really held).</summary>
    protected virtual Task AfterReloadAsync(CancellationToken ct) => Task.CompletedTask;

    protected abstract string Render(IReadOnlyList<BlockEntry> state, string? previous);

    protected abstract IReadOnlyList<BlockEntry> Parse(string text);

    protected const string Header = "# Managed by `shadowmcp enforce`: edits here are replaced on the next apply.";
}
