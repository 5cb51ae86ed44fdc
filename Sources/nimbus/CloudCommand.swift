import ArgumentParser
import Foundation
import LocalCloud
import Logging
import ServiceLifecycle
import UnixSignals

/// `nimbus cloud …`: LocalCloud, the Azure-shaped emulator.
struct Cloud: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud",
        abstract: "Run LocalCloud, the Azure-shaped emulator (Entra ID tokens, ARM, Blob, Queue).",
        subcommands: [CloudServe.self, CloudDisk.self]
    )
}

/// `nimbus cloud serve --data DIR [--port P] [--host H] [--http-port P]`.
struct CloudServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve LocalCloud over HTTPS until interrupted; writes DIR/endpoints.json on start."
    )

    @Option(name: .long, help: "The data folder (state, blobs, queues, disks, CA, endpoints.json).")
    var data: String

    @Option(name: .long, help: "The HTTPS port (0 picks a free one).")
    var port: Int = 8443

    @Option(name: .long, help: "The loopback address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Also serve plain HTTP on this port.")
    var httpPort: Int?

    @Option(name: .long, help: "Retry-After seconds announced by long-running operations.")
    var retryAfter: Int = 1

    @Option(name: .long, help: "Log level (trace, debug, info, notice, warning, error).")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        var logger = Logger(label: "nimbus.cloud") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        var configuration = LocalCloud.Configuration(dataDirectory: URL(fileURLWithPath: data, isDirectory: true))
        configuration.host = host
        configuration.port = port
        configuration.httpPort = httpPort
        configuration.retryAfterSeconds = retryAfter
        let cloud = try LocalCloud(configuration: configuration, logger: logger)
        // SIGTERM and SIGINT shut LocalCloud down gracefully: requests in flight get a short, bounded grace period.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: cloud)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let endpoints = try await cloud.ready()
            print("LocalCloud listening on \(endpoints.resourceManager) (endpoints: \(data)/endpoints.json)")
            try await tasks.waitForAll()
        }
        print("LocalCloud stopped")
    }
}
