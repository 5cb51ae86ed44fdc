import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Caches tokens per scope and refreshes them shortly before expiry; concurrent callers that
/// find no fresh token wait for one shared refresh instead of each fetching their own. When an
/// early refresh fails while the cached token has not expired yet, the cached token is used.
actor TokenCache {
    private var tokens: [String: AccessToken] = [:]
    private var refreshes: [String: Task<AccessToken, any Error>] = [:]
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date

    init(refreshMargin: TimeInterval, now: @escaping @Sendable () -> Date) {
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// The cached token for `scope`, or the result of one (shared) call to `fetch`.
    func token(scope: String, fetch: @escaping @Sendable () async throws -> AccessToken) async throws -> AccessToken {
        if let token = tokens[scope], token.expiresOn.timeIntervalSince(now()) > refreshMargin {
            return token
        }
        if let running = refreshes[scope] {
            return try await running.value
        }
        let cached = tokens[scope]
        let now = self.now
        let task = Task {
            do {
                return try await fetch()
            } catch {
                // Refreshing early is a courtesy: a token that is still valid keeps serving.
                if let cached, cached.expiresOn > now() { return cached }
                throw error
            }
        }
        refreshes[scope] = task
        defer { refreshes[scope] = nil }
        let token = try await task.value
        tokens[scope] = token
        return token
    }
}
