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
/// ``CloudRequestContext/localAddress``. The listeners run as child tasks of ``run()`` (which ``LocalCloud/run()``
/// runs): ``add(host:port:tls:)`` sends it a command through a stream and waits until the socket is bound.
public final class ListenerSet: Sendable {
    private struct Listener: Sendable {
        var address: ListenerAddress
        var isTLS: Bool
        /// Finishing it asks the listener to stop.
        var stop: AsyncStream<Void>.Continuation
        /// Resolved once the listener has stopped.
        var stopped: OneShot<Void>
    }

    private struct Start: Sendable {
        var host: String
        var port: Int
        var tls: Bool
        var bound: OneShot<ListenerAddress?>
    }

    /// How long a stopping listener lets requests in flight finish before it cancels them.
    static let gracePeriod: Duration = .seconds(1)

    private struct State: Sendable {
        var listeners: [ListenerAddress: Listener] = [:]
        var stopping = false
    }

    private let state = Mutex(State())
    private let authority: TLSAuthority
    private let logger: Logger
    private let responder = Mutex<CloudResponder?>(nil)
    private let commands: AsyncStream<Start>
    private let commandSink: AsyncStream<Start>.Continuation

    init(authority: TLSAuthority, logger: Logger) {
        self.authority = authority
        self.logger = logger
        (commands, commandSink) = AsyncStream.makeStream(of: Start.self)
    }

    func setResponder(_ responder: CloudResponder) {
        self.responder.withLock { $0 = responder }
    }

    /// Whether the listener at `address` speaks HTTPS.
    public func isTLS(_ address: ListenerAddress) -> Bool {
        state.withLock { $0.listeners[address]?.isTLS ?? true }
    }

    /// All current listener addresses.
    public var addresses: [ListenerAddress] {
        state.withLock { Array($0.listeners.keys) }
    }

    /// Starts listening on `host:port` (port 0 picks a free port) and returns the bound address.
    ///
    /// Adding a listener that already exists returns its address.
    /// - Throws: `LocalCloudError` with code `listener` when the address cannot be bound or LocalCloud is not
    ///   running.
    @discardableResult
    public func add(host: String, port: Int, tls: Bool = true) async throws -> ListenerAddress {
        if port != 0, let existing = state.withLock({ $0.listeners[ListenerAddress(host: host, port: port)] }) {
            return existing.address
        }
        let bound = OneShot<ListenerAddress?>()
        guard case .enqueued = commandSink.yield(Start(host: host, port: port, tls: tls, bound: bound)) else {
            throw LocalCloudError(.listener, "LocalCloud is not running; it cannot listen on \(host):\(port).")
        }
        guard let address = try await bound.value() else {
            throw LocalCloudError(.listener, "The listener on \(host):\(port) has no address.")
        }
        return address
    }

    /// Stops the listener at `address`, if any, and waits until it has (see ``stopAll()``).
    public func remove(_ address: ListenerAddress) async {
        guard let listener = state.withLock({ $0.listeners.removeValue(forKey: address) }) else { return }
        listener.stop.finish()
        try? await listener.stopped.value()
    }

    /// Stops every listener and accepts no new ones, and waits until they have stopped: each stops accepting
    /// connections and closes its idle ones at once; requests in flight get ``gracePeriod`` to finish before they
    /// are cancelled. ``run()`` returns once the last has stopped.
    func stopAll() async {
        commandSink.finish()
        let all = state.withLock { state in
            state.stopping = true
            defer { state.listeners.removeAll() }
            return Array(state.listeners.values)
        }
        for listener in all { listener.stop.finish() }
        for listener in all { try? await listener.stopped.value() }
    }

    /// Runs the listeners: each one added is a child task, until ``stopAll()`` and every listener has stopped.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await start in commands {
                group.addTask { await self.serve(start) }
            }
        }
    }

    /// Serves one listener until it is asked to stop (then gracefully, for at most ``gracePeriod``), its server
    /// fails, or the task is cancelled.
    private func serve(_ start: Start) async {
        let (host, port) = (start.host, start.port)
        guard let responder = responder.withLock({ $0 }) else {
            start.bound.resolve(.failure(LocalCloudError(.listener, "LocalCloud has no responder yet.")))
            return
        }
        let server: HTTPServerBuilder
        do {
            if start.tls {
                server = try .tls(.http1(), tlsConfiguration: try authority.serverConfiguration(for: host))
            } else {
                server = .http1()
            }
        } catch {
            start.bound.resolve(.failure(LocalCloudError(.listener, "No TLS setup for \(host).", cause: error)))
            return
        }
        let (stopRequests, stop) = AsyncStream.makeStream(of: Void.self)
        let stopped = OneShot<Void>()
        let bound = start.bound
        let application = Application(
            responder: responder,
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "LocalCloud", reuseAddress: true),
            onServerRunning: { channel in
                guard let address = channel.localAddress.flatMap(ListenerAddress.init(socketAddress:)) else {
                    stop.finish()
                    bound.resolve(.success(nil))
                    return
                }
                let stopping = self.state.withLock { state in
                    guard !state.stopping else { return true }
                    state.listeners[address] = Listener(
                        address: address,
                        isTLS: start.tls,
                        stop: stop,
                        stopped: stopped
                    )
                    return false
                }
                if stopping {
                    stop.finish()
                    bound.resolve(.failure(LocalCloudError(.listener, "LocalCloud is stopping.")))
                } else {
                    bound.resolve(.success(address))
                }
            },
            logger: logger
        )
        // The application runs as the one service of a group of its own, so that stopping it can be graceful:
        // idle keep-alive connections close at once, busy ones after their response.
        let serviceGroup = ServiceGroup(configuration: .init(services: [.init(service: application)], logger: logger))
        let logger = self.logger
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    try await serviceGroup.run()
                    bound.resolve(.failure(LocalCloudError(.listener, "The listener on \(host):\(port) stopped.")))
                } catch {
                    logger.debug("Listener failed", metadata: ["listener.host": "\(host)", "listener.port": "\(port)"])
                    bound.resolve(
                        .failure(LocalCloudError(.listener, "Could not listen on \(host):\(port).", cause: error))
                    )
                }
            }
            tasks.addTask {
                for await _ in stopRequests {}
                guard !Task.isCancelled else { return }
                await serviceGroup.triggerGracefulShutdown()
                try? await Task.sleep(for: Self.gracePeriod)
            }
            // Either the server ended (stopped gracefully, or failed), or the grace period after a stop request
            // ran out: cancel what is left.
            await tasks.next()
            tasks.cancelAll()
        }
        stop.finish()
        state.withLock { state in
            for (address, listener) in state.listeners where listener.stopped === stopped {
                state.listeners[address] = nil
            }
        }
        stopped.resolve(.success(()))
        logger.debug("Listener stopped", metadata: ["listener.host": "\(host)", "listener.port": "\(port)"])
    }
}
