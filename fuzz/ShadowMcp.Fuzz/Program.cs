using SharpFuzz;
using ShadowMcp.Scanner.Tests.Fuzz;

namespace ShadowMcp.Fuzz;

/// <summary>
/// afl++ entry point: <c>ShadowMcp.Fuzz TARGET</c> runs one target in SharpFuzz's persistent out-of-process mode;
/// <c>ShadowMcp.Fuzz TARGET --replay FILE...</c> runs files once each and names the first that throws.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: ShadowMcp.Fuzz <{string.Join('|', FuzzTargets.All.Keys)}> [--replay FILE...]");
            return 2;
        }

        if (args.Length > 1 && args[1] == "--replay") return Replay(target, args[2..]);

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }

    private static int Replay(Action<byte[]> target, string[] files)
    {
        foreach (var file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"{file}: {ex}");
                return 1;
            }
        }

        Console.WriteLine($"{files.Length} inputs, no exception");
        return 0;
    }
}
