import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The sockets LocalCloud listens on: the public listener(s) and any extra loopback listeners added at runtime
/// (for example one per private endpoint, on `127.0.0.N` and the public port).
///
/// Every listener serves the same responder; handlers tell listeners apart by
/// ``CloudRequestContext/localAddress``.
public final class ListenerSet: Sendable {
    private struct Listener: Sendable {
        var address: ListenerAddress
        var isTLS: Bool
        var task: Task<Void, Never>
        var group: ServiceGroup
    }

    /// How long a stopping listener lets requests in flight finish before it cancels them.
    static let gracePeriod: Duration = .seconds(1)

    private let listeners = Mutex<[ListenerAddress: Listener]>([:])
    private let authority: TLSAuthority
    private let logger: Logger
    private let responder = Mutex<CloudResponder?>(nil)

    init(authority: TLSAuthority, logger: Logger) {
        self.authority = authority
        self.logger = logger
    }

    func setResponder(_ responder: CloudResponder) {
        self.responder.withLock { $0 = responder }
    }

    /// Whether the listener at `address` speaks HTTPS.
    public func isTLS(_ address: ListenerAddress) -> Bool {
        listeners.withLock { $0[address]?.isTLS ?? true }
    }

    /// All current listener addresses.
    public var addresses: [ListenerAddress] {
        listeners.withLock { Array($0.keys) }
    }

    /// Starts listening on `host:port` (port 0 picks a free port) and returns the bound address.
    ///
    /// Adding a listener that already exists returns its address.
    /// - Throws: `LocalCloudError` with code `listener` when the address cannot be bound.
    @discardableResult
    public func add(host: String, port: Int, tls: Bool = true) async throws -> ListenerAddress {
        if port != 0, let existing = listeners.withLock({ $0[ListenerAddress(host: host, port: port)] }) {
            return existing.address
        }
        guard let responder = responder.withLock({ $0 }) else {
            throw LocalCloudError(.listener, "LocalCloud is not started; start it before adding listeners.")
        }
        let server: HTTPServerBuilder
        if tls {
            server = try .tls(.http1(), tlsConfiguration: try authority.serverConfiguration(for: host))
        } else {
            server = .http1()
        }
        let bound = BoundOnce()
        let logger = self.logger
        let application = Application(
            responder: responder,
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "LocalCloud", reuseAddress: true),
            onServerRunning: { channel in
                bound.resolve(.success(channel.localAddress.flatMap(ListenerAddress.init(socketAddress:))))
            },
            logger: logger
        )
        // The application runs as the one service of a group of our own, so that stopping it can be graceful:
        // idle keep-alive connections close at once, busy ones after their response.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: application)],
                logger: logger
            )
        )
        let task = Task {
            do {
                try await group.run()
                bound.resolve(.failure(LocalCloudError(.listener, "The listener on \(host):\(port) stopped.")))
            } catch {
                logger.debug("Listener failed", metadata: ["listener.host": "\(host)", "listener.port": "\(port)"])
                bound.resolve(
                    .failure(LocalCloudError(.listener, "Could not listen on \(host):\(port).", cause: error))
                )
            }
        }
        let address: ListenerAddress
        do {
            guard let resolved = try await bound.value() else {
                task.cancel()
                throw LocalCloudError(.listener, "The listener on \(host):\(port) has no address.")
            }
            address = resolved
        } catch {
            task.cancel()
            throw error
        }
        listeners.withLock { $0[address] = Listener(address: address, isTLS: tls, task: task, group: group) }
        logger.debug("Listener started", metadata: ["listener.address": "\(address)", "listener.tls": "\(tls)"])
        return address
    }

    /// Stops the listener at `address`, if any (see ``removeAll()``).
    public func remove(_ address: ListenerAddress) async {
        guard let listener = listeners.withLock({ $0.removeValue(forKey: address) }) else { return }
        await Self.stop(listener)
    }

    /// Stops every listener: each stops accepting connections and closes its idle ones at once; requests in flight
    /// get ``gracePeriod`` to finish before they are cancelled.
    func removeAll() async {
        let all = listeners.withLock { all in
            let values = Array(all.values)
            all.removeAll()
            return values
        }
        await withDiscardingTaskGroup { group in
            for listener in all { group.addTask { await Self.stop(listener) } }
        }
    }

    private static func stop(_ listener: Listener) async {
        await listener.group.triggerGracefulShutdown()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await listener.task.value }
            group.addTask {
                do {
                    try await Task.sleep(for: gracePeriod)
                    listener.task.cancel()
                } catch {
                    // The listener stopped within the grace period.
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}

/// A one-shot result slot resolved by whichever of "server running" or "server failed" happens first.
private final class BoundOnce: Sendable {
    private let state = Mutex<
        (result: Result<ListenerAddress?, any Error>?, waiter: CheckedContinuation<ListenerAddress?, any Error>?)
    >(
        (nil, nil)
    )

    func resolve(_ result: Result<ListenerAddress?, any Error>) {
        let waiter: CheckedContinuation<ListenerAddress?, any Error>? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> ListenerAddress? {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<ListenerAddress?, any Error>? = state.withLock { state in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
