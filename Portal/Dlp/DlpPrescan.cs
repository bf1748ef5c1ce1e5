using System.Buffers;
using System.Text.Json;

namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// The cheap first look on the request path: would <see cref="DlpScanner"/> find anything in this JSON? It runs
/// the same detectors over the same texts (every string, number and property name, and each container's fields
/// joined) straight off a <see cref="Utf8JsonReader"/> with pooled buffers and no allocation, stopping at the
/// first finding. Only a "maybe" pays for the JsonNode walk, which names paths and redacts; so the verdict is
/// always the full scanner's, and clean traffic (nearly all of it) skips the round trip.
/// </summary>
internal static class DlpPrescan
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>Serializes <paramref name="value"/> into a per-thread buffer and pre-scans it.</summary>
    public static bool MayMatch<T>(T value, JsonSerializerOptions options)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, value, options);
        writer.Flush();
        var result = MayMatch(buffer.WrittenSpan);
        // Do not let one huge result pin a huge buffer to this thread forever.
        if (buffer.Capacity > 1 << 20) { t_buffer = null; t_writer = null; }
        return result;
    }

    public static bool MayMatch(ReadOnlySpan<byte> utf8Json)
    {
        var frames = new Frames();
        try
        {
            return Read(utf8Json, ref frames);
        }
        catch (JsonException)
        {
            return true; // not ours to judge: let the full scanner see it
        }
        finally { frames.Dispose(); }
    }

    private static bool Read(ReadOnlySpan<byte> utf8Json, ref Frames frames)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        char[] text = ArrayPool<char>.Shared.Rent(256);
        char[] name = ArrayPool<char>.Shared.Rent(256);
        char[] field = ArrayPool<char>.Shared.Rent(256);
        var nameLength = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        frames.Push(reader.TokenType == JsonTokenType.StartObject, name.AsSpan(0, nameLength));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (frames.PopHasJoinedMatch()) return true;
                        break;
                    case JsonTokenType.PropertyName:
                        nameLength = Copy(ref reader, ref name);
                        if (DlpText.Any(name.AsSpan(0, nameLength), [])) return true;
                        break;
                    case JsonTokenType.String:
                    case JsonTokenType.Number:
                        var length = reader.TokenType == JsonTokenType.String ? Copy(ref reader, ref text) : CopyNumber(ref reader, ref text);
                        var context = frames.Field(frames.InObject ? name.AsSpan(0, nameLength) : [], ref field);
                        if (DlpText.Any(text.AsSpan(0, length), context)) return true;
                        if (reader.TokenType == JsonTokenType.String && frames.Append(text.AsSpan(0, length))) return true;
                        break;
                }
            }
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(text);
            ArrayPool<char>.Shared.Return(name);
            ArrayPool<char>.Shared.Return(field);
        }
    }

    private static int Copy(ref Utf8JsonReader reader, ref char[] buffer)
    {
        // Unescaped UTF-16 never needs more chars than the UTF-8 bytes, escaped or not.
        var needed = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        Grow(ref buffer, needed);
        return reader.CopyString(buffer);
    }

    private static int CopyNumber(ref Utf8JsonReader reader, ref char[] buffer)
    {
        var raw = reader.ValueSpan;
        Grow(ref buffer, Math.Max(raw.Length, 64));
        for (var i = 0; i < raw.Length; i++) buffer[i] = (char)raw[i];
        if (raw.IndexOfAny((byte)'e', (byte)'E') < 0) return raw.Length;
        // Rare: an exponent. The digits it stands for, as the full scanner reads them.
        var digits = DlpText.NumberDigits(new string(buffer, 0, raw.Length));
        Grow(ref buffer, digits.Length);
        digits.CopyTo(buffer);
        return digits.Length;
    }

    private static void Grow(ref char[] buffer, int needed)
    {
        if (buffer.Length >= needed) return;
        ArrayPool<char>.Shared.Return(buffer);
        buffer = ArrayPool<char>.Shared.Rent(needed);
    }

    /// <summary>Per open container: its items joined with a space and with nothing (see <see cref="DlpJoin"/>).</summary>
    private struct Frames : IDisposable
    {
        private Frame[]? _stack;
        private int _depth;

        public readonly bool InObject => _depth > 0 && _stack![_depth - 1].IsObject;

        /// <param name="name">The last property name read: the one holding this container when it sits in an object.</param>
        public void Push(bool isObject, ReadOnlySpan<char> name)
        {
            _stack ??= ArrayPool<Frame>.Shared.Rent(16);
            if (_depth == _stack.Length)
            {
                var bigger = ArrayPool<Frame>.Shared.Rent(_depth * 2);
                _stack.AsSpan(0, _depth).CopyTo(bigger);
                ArrayPool<Frame>.Shared.Return(_stack, clearArray: true);
                _stack = bigger;
            }
            // The container's name, as the full scanner sees it: its property name, inherited through arrays.
            var key = _depth == 0 ? [] : _stack[_depth - 1].IsObject ? name : _stack[_depth - 1].KeySpan;
            var frame = new Frame { IsObject = isObject };
            if (key.Length > 0) frame.Key = Add(null, ref frame.KeyLength, "", key);
            _stack[_depth++] = frame;
        }

        /// <summary>A value's context, like <see cref="DlpScanner.Field"/>: its container's name, a space, its own.</summary>
        public readonly ReadOnlySpan<char> Field(ReadOnlySpan<char> own, ref char[] buffer)
        {
            var key = _depth == 0 ? [] : _stack![_depth - 1].KeySpan;
            if (key.Length == 0) return own;
            var needed = key.Length + 1 + own.Length;
            if (buffer.Length < needed)
            {
                ArrayPool<char>.Shared.Return(buffer);
                buffer = ArrayPool<char>.Shared.Rent(needed);
            }
            key.CopyTo(buffer);
            if (own.Length == 0) return buffer.AsSpan(0, key.Length);
            buffer[key.Length] = ' ';
            own.CopyTo(buffer.AsSpan(key.Length + 1));
            return buffer.AsSpan(0, needed);
        }

        /// <summary>Adds a string value to the innermost container; true when it and the one before it match joined.</summary>
        public readonly bool Append(ReadOnlySpan<char> item)
        {
            if (_depth == 0) return false; // a scalar at the root has nothing to join with
            ref var frame = ref _stack![_depth - 1];
            if (PairMatches(ref frame, item)) return true;
            if (frame.Full || !DlpJoin.Fits(frame.Used, item.Length)) { frame.Full = true; return false; }
            frame.Used += item.Length;
            frame.Spaced = Add(frame.Spaced, ref frame.SpacedLength, frame.Items > 0 ? " " : "", item);
            var tight = frame.TightLength > 0 ? DlpJoin.Separator("", frame.Tight![frame.TightLength - 1], item) : "";
            frame.Tight = Add(frame.Tight, ref frame.TightLength, tight, item);
            frame.Items++;
            return false;
        }

        /// <summary>The previous string value and this one with nothing between (see <see cref="DlpScanner"/>).</summary>
        private static bool PairMatches(ref Frame frame, ReadOnlySpan<char> item)
        {
            var hasPrevious = frame.Previous is not null;
            var pairLength = 0;
            char[]? pair = null;
            if (hasPrevious)
            {
                pair = Add(null, ref pairLength, "", frame.Previous.AsSpan(0, frame.PreviousLength));
                var separator = frame.PreviousLength > 0 ? DlpJoin.Separator("", frame.Previous![frame.PreviousLength - 1], item) : "";
                pair = Add(pair, ref pairLength, separator, item);
            }
            try
            {
                frame.PreviousLength = 0;
                frame.Previous = Add(frame.Previous, ref frame.PreviousLength, "", item);
                return hasPrevious && DlpText.Any(pair.AsSpan(0, pairLength), []);
            }
            finally { if (pair is not null) ArrayPool<char>.Shared.Return(pair); }
        }

        private static char[] Add(char[]? buffer, ref int length, ReadOnlySpan<char> separator, ReadOnlySpan<char> item)
        {
            var needed = length + separator.Length + item.Length;
            if (buffer is null || buffer.Length < needed)
            {
                var bigger = ArrayPool<char>.Shared.Rent(Math.Max(needed, 256));
                if (buffer is not null)
                {
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<char>.Shared.Return(buffer);
                }
                buffer = bigger;
            }
            separator.CopyTo(buffer.AsSpan(length));
            item.CopyTo(buffer.AsSpan(length + separator.Length));
            length = needed;
            return buffer;
        }

        /// <summary>Closes the innermost container: does either joined view of two or more items match?</summary>
        public bool PopHasJoinedMatch()
        {
            var frame = _stack![--_depth];
            _stack[_depth] = default;
            try
            {
                return frame.Items >= 2
                    && (DlpText.Any(frame.Spaced.AsSpan(0, frame.SpacedLength), [])
                        || DlpText.Any(frame.Tight.AsSpan(0, frame.TightLength), []));
            }
            finally { frame.Return(); }
        }

        public void Dispose()
        {
            if (_stack is null) return;
            for (var i = 0; i < _depth; i++) _stack[i].Return();
            ArrayPool<Frame>.Shared.Return(_stack, clearArray: true);
            _stack = null;
        }
    }

    private struct Frame
    {
        public bool IsObject;
        public bool Full;
        public int Items;
        public int Used;
        public char[]? Spaced;
        public int SpacedLength;
        public char[]? Tight;
        public int TightLength;
        public char[]? Previous;
        public int PreviousLength;
        public char[]? Key;
        public int KeyLength;

        public readonly ReadOnlySpan<char> KeySpan => Key.AsSpan(0, KeyLength);

        public readonly void Return()
        {
            if (Key is not null) ArrayPool<char>.Shared.Return(Key);
            if (Spaced is not null) ArrayPool<char>.Shared.Return(Spaced);
            if (Tight is not null) ArrayPool<char>.Shared.Return(Tight);
            if (Previous is not null) ArrayPool<char>.Shared.Return(Previous);
        }
    }
}
