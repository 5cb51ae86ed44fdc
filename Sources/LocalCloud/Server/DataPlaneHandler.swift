import Hummingbird
import Synchronization

/// A handler for data-plane URLs whose first path segment starts with a registered prefix, e.g. `md-` for
/// managed-disk SAS URLs (`https://127.0.0.1:P/md-XXXX/CONTAINER/abcd?…`). Such a segment can never be a storage
/// account name (3–24 lowercase letters and digits), so the two never collide.
public protocol DataPlaneHandler: Sendable {
    /// Answers one request. `parts.segments[0]` is the segment that matched the prefix.
    func handle(
        _ request: Request,
        parts: RequestParts,
        context: CloudRequestContext,
        cloud: CloudServices
    ) async throws -> Response
}

/// The registered ``DataPlaneHandler``s, by first-segment prefix.
public final class DataPlaneRegistry: Sendable {
    private let handlers = Mutex<[(prefix: String, handler: any DataPlaneHandler)]>([])

    init() {}

    /// Routes requests whose first path segment starts with `prefix` (case-insensitive) to `handler`.
    /// - Precondition: `prefix` contains a character that account names cannot (`-`), so it never shadows one.
    public func register(prefix: String, _ handler: any DataPlaneHandler) {
        handlers.withLock { $0.append((prefix.lowercased(), handler)) }
    }

    /// The handler for a first segment, or `nil`.
    func handler(for segment: String) -> (any DataPlaneHandler)? {
        let lowered = segment.lowercased()
        return handlers.withLock { all in all.first { lowered.hasPrefix($0.prefix) }?.handler }
    }
}
