import Logging
import ServiceLifecycle

extension LocalCloud {
    /// Runs LocalCloud in a `ServiceGroup` of its own while `body` runs with its endpoints, then shuts it down
    /// gracefully and waits until it has stopped. Errors of `body` are rethrown after the shutdown.
    public func withRunning<T>(_ body: (Endpoints) async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: [.init(service: self)], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(try await ready()))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            let stopped: Result<Void, any Error>
            do {
                try await tasks.waitForAll()
                stopped = .success(())
            } catch {
                stopped = .failure(error)
            }
            let value = try result.get()
            try stopped.get()
            return value
        }
    }
}
