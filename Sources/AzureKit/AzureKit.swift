/// The `AzureKit` module. Its types are documented where they are declared.
public enum AzureKitModule {
    /// The module's name, for diagnostics.
    public static let name = "AzureKit"
}
