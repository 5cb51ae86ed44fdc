import AzureKit
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import Worker
import WorkerProtocol

/// `nimbus-worker run --config FILE [--network-env FILE] [--log-level LEVEL] [--visibility-timeout SECONDS]
/// [--heartbeat-interval SECONDS]`: the worker daemon.
///
/// Reads the configuration the bootstrap wrote, receives jobs from its queue through the private endpoints of its
/// network, and stops cleanly on SIGTERM or SIGINT (a running job's message becomes visible again at once).
@main
struct WorkerMain {
    static let usage = """
        usage: nimbus-worker run --config FILE [--network-env FILE] [--log-level trace|debug|info|warning|error]
                                 [--visibility-timeout SECONDS] [--heartbeat-interval SECONDS]

          --config FILE       the worker configuration the bootstrap wrote (JSON, mode 0600)
          --network-env FILE  LocalCloud's etc/localcloud/network.env (private endpoint addresses); without it the
                              network's private DNS is trusted to resolve storage names to private endpoints
          --visibility-timeout SECONDS
                              how long a received job stays hidden from other workers; renewed at half of it
                              (default 300)
          --heartbeat-interval SECONDS
                              how often a heartbeat reply tells the appliance the worker is alive (default 60)
        """

    static let options: Set<String> = [
        "--config", "--network-env", "--log-level", "--visibility-timeout", "--heartbeat-interval",
    ]

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.first == "run" else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            exit(arguments.first == "--help" || arguments.first == "-h" ? 0 : 64)
        }
        var options: [String: String] = [:]
        var index = 1
        while index < arguments.count {
            let name = arguments[index]
            guard Self.options.contains(name), index + 1 < arguments.count else {
                fail("unknown or incomplete option \(name)\n\(usage)", status: 64)
            }
            options[name] = arguments[index + 1]
            index += 2
        }
        guard let configPath = options["--config"] else { fail("--config FILE is required\n\(usage)", status: 64) }
        var logger = Logger(label: "nimbus.worker") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = options["--log-level"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        var timing = Timing()
        for (name, value) in [
            ("--visibility-timeout", options["--visibility-timeout"]),
            ("--heartbeat-interval", options["--heartbeat-interval"]),
        ] {
            guard let value else { continue }
            guard let seconds = Int(value), (1...86_400).contains(seconds) else {
                fail("\(name) takes a whole number of seconds from 1 to 86400, not \(value)", status: 64)
            }
            if name == "--visibility-timeout" {
                timing.visibilityTimeout = .seconds(seconds)
            } else {
                timing.heartbeatInterval = .seconds(seconds)
            }
        }
        do {
            try await run(
                configPath: configPath,
                networkEnvironment: options["--network-env"],
                timing: timing,
                logger: logger
            )
        } catch {
            fail("\(error)", status: 1)
        }
    }

    /// The PEM of an extra CA to trust (LocalCloud's), from the file `NIMBUS_EXTRA_CA_FILE` names.
    static func extraTrustedCA() throws -> String? {
        guard let path = ProcessInfo.processInfo.environment["NIMBUS_EXTRA_CA_FILE"], !path.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkerFailure.permanent("the CA file \(path) (NIMBUS_EXTRA_CA_FILE) cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("nimbus-worker: \(message)\n".utf8))
        exit(status)
    }

    /// The daemon's timing settings.
    struct Timing {
        var visibilityTimeout = DeliveryPolicy().visibilityTimeout
        var heartbeatInterval: Duration = .seconds(60)
    }

    static func run(configPath: String, networkEnvironment: String?, timing: Timing, logger: Logger) async throws {
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw WorkerFailure.permanent("the configuration file \(configPath) cannot be read; check the path")
        }
        let configuration = try WorkerConfiguration.decode(data)
        var logger = logger
        logger[metadataKey: "worker"] = .string(configuration.workerID)
        let routing =
            try networkEnvironment.map {
                PrivateEndpointRouting(networkEnvironment: try PrivateEndpointRouting.readEnvironmentFile($0))
            } ?? PrivateEndpointRouting(.privateDNS)
        let transport = try AsyncHTTPClientTransport(
            provider: .createNew,
            configuration: .init(extraTrustedCAPEM: try extraTrustedCA())
        )
        let client = AzureClient(transport: transport)
        let jobs = try WorkerQueues.queue(configuration.jobQueue, client: client, routing: routing)
        let replies = try WorkerQueues.queue(configuration.replyQueue, client: client, routing: routing)
        let poison = try WorkerQueues.queue(configuration.poisonQueue, client: client, routing: routing)
        let policy = DeliveryPolicy()
        let sender = ReplySender(queues: replies.client, queue: replies.name, logger: logger)
        let activity = WorkerActivity(concurrency: configuration.concurrency)
        let handler = ProtocolJobHandler(
            workerID: configuration.workerID,
            key: configuration.workerKey,
            client: client,
            replies: sender,
            routing: routing,
            poisonQueue: poison.name,
            activity: activity,
            logger: logger
        )
        let heartbeats = HeartbeatService(
            workerID: configuration.workerID,
            activity: activity,
            replies: sender,
            interval: timing.heartbeatInterval,
            logger: logger
        )
        let loop = QueueLoop(
            queues: jobs.client,
            settings: QueueLoopSettings(
                jobQueue: jobs.name,
                poisonQueue: poison.name,
                visibilityTimeout: timing.visibilityTimeout,
                maxDequeueCount: policy.maxDequeueCount,
                concurrentJobs: configuration.concurrency
            ),
            handler: handler,
            logger: logger,
            poisonQueues: poison.client
        )
        logger.info("Worker starting", metadata: ["configuration": .string(configuration.description)])
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: loop), .init(service: heartbeats)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        logger.info("Worker stopped")
    }
}
