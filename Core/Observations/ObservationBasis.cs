namespace ShadowMcp.Core.Observations;

/// <summary>How the bytes behind an observation were seen.</summary>
public enum ObservationBasis
{
    Plaintext,
    Decrypted,
}
