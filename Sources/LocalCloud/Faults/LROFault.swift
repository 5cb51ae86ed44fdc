/// What fault rules do to one long-running operation: wait before its work, end it with an error, or both.
struct LROFault: Sendable {
    /// How long the operation waits before its work (`delayLRO`).
    var delayMilliseconds: Int?
    /// The error it ends with (`failLRO`).
    var error: ARMError?
}
