import Foundation
import Logging
import ServiceLifecycle

@testable import LocalCloud

/// A LocalCloud running in a `ServiceGroup` of its own, for tests that start and stop it at separate points
/// (``LocalCloud/withRunning(_:)`` covers the scoped case).
struct RunningCloud: Sendable {
    let cloud: LocalCloud
    let endpoints: Endpoints
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    /// Runs `cloud` and waits until it serves.
    static func start(_ cloud: LocalCloud) async throws -> RunningCloud {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: cloud)],
                logger: Logger(label: "test") { _ in
                    SwiftLogNoOpLogHandler()
                }
            )
        )
        let running = Task { try await group.run() }
        do {
            let endpoints = try await cloud.ready()
            return RunningCloud(cloud: cloud, endpoints: endpoints, group: group, running: running)
        } catch {
            running.cancel()
            _ = try? await running.value
            throw error
        }
    }

    /// Shuts LocalCloud down gracefully and waits until it has stopped.
    func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
    }
}
