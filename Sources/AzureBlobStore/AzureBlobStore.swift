/// The `AzureBlobStore` module. Its types are documented where they are declared.
public enum AzureBlobStoreModule {
    /// The module's name, for diagnostics.
    public static let name = "AzureBlobStore"
}
