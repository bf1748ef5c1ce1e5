namespace ShadowMcp.Core.Store;

/// <summary>The store file cannot be opened, migrated or written; the message names the file.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
