using System.Runtime.CompilerServices;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Observations.JsonRpc;

/// <summary>
/// The dotted path of a JSON member (<c>params</c> + <c>clientInfo</c> → <c>params.clientInfo</c>), remembered per
/// thread by its parent path (as an object) and its raw UTF-8 name. Messages repeat the same members over and over;
/// one probe here replaces decoding the name and looking up both the name and the joined path in the shared table.
/// A miss computes the path exactly as before, so the strings are the same.
/// </summary>
internal static class MemberPaths
{
    /// <summary>Names longer than this (in bytes) are not remembered.</summary>
    public const int MaxNameBytes = 32;
    private const int Slots = 1024;

    [ThreadStatic] private static Slot[]? t_slots;

    private sealed class Slot
    {
        public string? Parent;
        public readonly byte[] Name = new byte[MaxNameBytes];
        public int Length;
        public string? Path;
    }

    /// <summary>The path of the unescaped member <paramref name="name"/> (at most <see cref="MaxNameBytes"/>) under <paramref name="parent"/>.</summary>
    public static string Of(string parent, ReadOnlySpan<byte> name)
    {
        var slots = t_slots ??= Create();
        var slot = slots[(RuntimeHelpers.GetHashCode(parent) * -1640531535 ^ Hash(name)) & (Slots - 1)];
        if (ReferenceEquals(slot.Parent, parent) && name.SequenceEqual(slot.Name.AsSpan(0, slot.Length))) return slot.Path!;
        var path = StringCache.Concat(parent, ".", StringCache.FromUtf8(name));
        slot.Parent = parent;
        name.CopyTo(slot.Name);
        slot.Length = name.Length;
        slot.Path = path;
        return path;
    }

    private static Slot[] Create()
    {
        var slots = new Slot[Slots];
        for (var i = 0; i < slots.Length; i++) slots[i] = new Slot();
        return slots;
    }

    private static int Hash(ReadOnlySpan<byte> name)
    {
        var h = 2166136261u;
        foreach (var b in name) h = (h ^ b) * 16777619u;
        return (int)h;
    }
}
