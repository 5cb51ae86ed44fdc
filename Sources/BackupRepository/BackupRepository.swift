/// The `BackupRepository` module. Its types are documented where they are declared.
public enum BackupRepositoryModule {
    /// The module's name, for diagnostics.
    public static let name = "BackupRepository"
}
