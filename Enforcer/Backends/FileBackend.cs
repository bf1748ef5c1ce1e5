using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// A backend whose state is one file the target service reads: rendered from entries, parsed back into
/// entries, written atomically, then an optional reload command. A failed reload puts the old file back, so
/// file and running service never disagree.
/// </summary>
internal abstract class FileBackend(string name, string path, IReadOnlyList<string> reload) : IEnforcementBackend
{
    public string Name { get; } = name;
    public string FilePath { get; } = path;

    /// <summary>Name-based files take host entries as they are; override to reshape them.</summary>
    public virtual IReadOnlyList<BlockEntry> Select(IReadOnlyList<BlockEntry> desired) =>
        [.. desired.Where(e => e.Kind == BlockKind.Host).Distinct()];

    public virtual IEnumerable<Reach> ReachOf(BlockEntry written) => Reach.Default(written);

    public Task<IReadOnlyList<BlockEntry>> ReadAsync(CancellationToken ct)
    {
        var text = AtomicFile.ReadOrNull(FilePath);
        return Task.FromResult(text is null ? (IReadOnlyList<BlockEntry>)[] : Parse(text));
    }

    public async Task ApplyAsync(IReadOnlyList<BlockEntry> state, CancellationToken ct)
    {
        var previous = AtomicFile.ReadOrNull(FilePath);
        AtomicFile.Write(FilePath, Render([.. state.Order(BlockEntry.Order)], previous));
        if (reload.Count == 0) return;
        try
        {
            await ToolRunner.RunCheckedAsync(reload, null, ct);
        }
        catch (BackendException ex)
        {
            AtomicFile.Restore(FilePath, previous);
            throw new BackendException($"{Name}: reload failed, the previous {Path.GetFileName(FilePath)} was put back: {ex.Message}", ex);
        }
    }

    protected abstract string Render(IReadOnlyList<BlockEntry> state, string? previous);

    protected abstract IReadOnlyList<BlockEntry> Parse(string text);

    protected const string Header = "# Managed by `shadowmcp enforce`: edits here are replaced on the next apply.";
}
