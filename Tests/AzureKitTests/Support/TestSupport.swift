import AzureKit
import Foundation
import Logging
import Synchronization

/// Records the waits a client asked for instead of sleeping them.
///
/// With a `pace`, each wait also really sleeps that long (at most), so a loop polling a server that
/// is slow under load yields the CPU instead of spinning.
final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])
    let pace: Duration?

    init(pace: Duration? = nil) {
        self.pace = pace
    }

    var recorded: [Duration] { waits.withLock { $0 } }

    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in
            try Task.checkCancellation()
            self.waits.withLock { $0.append(duration) }
            if let pace = self.pace { try await Task.sleep(for: min(pace, duration)) }
        }
    }
}

/// A logger that drops everything.
let testLogger = Logger(label: "azurekit.tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// Runs `body` with a real AsyncHTTPClient-backed client whose retries do not really sleep.
/// Timeouts are generous so a loaded machine does not turn a slow answer into a failure.
@discardableResult
func withTestClient<T: Sendable>(
    retryPolicy: AzureRetryPolicy = .exponential(base: .milliseconds(100), maxRetries: 3),
    sleeper: SleepRecorder = SleepRecorder(),
    connectTimeout: Duration = .seconds(20),
    _ body: @Sendable (AzureClient) async throws -> T
) async throws -> T {
    let transport = try AsyncHTTPClientTransport(
        provider: .createNew,
        configuration: .init(connectTimeout: connectTimeout, readTimeout: .seconds(60))
    )
    let client = AzureClient(
        transport: transport,
        retryPolicy: retryPolicy,
        options: .init(requestTimeout: .seconds(120), sleep: sleeper.sleep)
    )
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// The public Azurite/emulator account key of `devstoreaccount1` (published in Microsoft's emulator docs).
let emulatorKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

extension String {
    /// Prefixes the UTF-8 byte-order mark that real storage XML bodies start with.
    var withBOM: [UInt8] { [0xEF, 0xBB, 0xBF] + Array(utf8) }
}
