namespace ShadowMcp.Scanner.Live;

/// <summary>Settings for capturing from a network interface (a host NIC or a SPAN/mirror port).</summary>
public sealed class LiveCaptureOptions
{
    /// <summary>Interface name as the OS knows it (eth0, ens5, lo, any).</summary>
    public string Interface { get; set; } = "";

    /// <summary>
    /// Kernel (BPF) filter. The default keeps TCP and DNS and drops the rest before it reaches user space.
    /// </summary>
    public string Filter { get; set; } = "tcp or udp port 53";

    /// <summary>Capture length per packet. Bodies past the analyzers' prefixes are not needed, but TCP sequence is.</summary>
    public int Snaplen { get; set; } = 65535;

    /// <summary>Promiscuous mode, for a SPAN port that carries other hosts' traffic.</summary>
    public bool Promiscuous { get; set; } = true;

    /// <summary>How long a read waits for packets before the loop checks for cancellation, in milliseconds.</summary>
    public int ReadTimeoutMs { get; set; } = 200;

    /// <summary>Kernel buffer in bytes; larger rides out bursts on busy links.</summary>
    public int KernelBufferBytes { get; set; } = 64 << 20;
}
