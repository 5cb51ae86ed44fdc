/// The `LocalCloud` module. Its types are documented where they are declared.
public enum LocalCloudModule {
    /// The module's name, for diagnostics.
    public static let name = "LocalCloud"
}
