import AzureKit

/// How to finish a long-running operation that was still running when LocalCloud stopped.
///
/// An operation started with a resume descriptor is persisted with it; when LocalCloud starts again on the same
/// data folder, the resumer registered for ``kind`` (``OperationManager/registerResumer(_:_:)``) finishes the
/// work from ``parameters``. Operations without one end `Failed` after a restart.
public struct OperationResume: Sendable, Codable, Hashable {
    /// The resumer's name, e.g. `Microsoft.Storage/storageAccounts/create`.
    public var kind: String
    /// What the resumer needs, e.g. `{"id": "/subscriptions/…"}`.
    public var parameters: AzureJSON

    /// Creates a resume descriptor.
    public init(kind: String, parameters: AzureJSON) {
        self.kind = kind
        self.parameters = parameters
    }
}

/// Finishes interrupted operations of one ``OperationResume/kind``.
public struct OperationResumer: Sendable {
    /// Does (or redoes) the operation's work from its parameters and returns its result; it must be safe to run
    /// again after a partial run. Throwing ``ARMError`` makes the operation fail with that error.
    public var work: @Sendable (AzureJSON) async throws -> AzureJSON?
    /// Called when the resumed work fails, e.g. to mark the resource `Failed`.
    public var onFailure: (@Sendable (AzureJSON, ARMError) async -> Void)?

    /// Creates a resumer.
    public init(
        work: @escaping @Sendable (AzureJSON) async throws -> AzureJSON?,
        onFailure: (@Sendable (AzureJSON, ARMError) async -> Void)? = nil
    ) {
        self.work = work
        self.onFailure = onFailure
    }
}
