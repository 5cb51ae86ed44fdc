import Foundation

extension LocalCloud {
    /// How a LocalCloud instance runs. Every setting has a default suited to tests and the embedded default.
    public struct Configuration: Sendable {
        /// The data folder: state, blobs, queues, disks, the CA and `endpoints.json` live here.
        public var dataDirectory: URL
        /// The host the public HTTPS listener binds (default `127.0.0.1`).
        public var host: String = "127.0.0.1"
        /// The public HTTPS port; `0` picks a free one (default `0`).
        public var port: Int = 0
        /// An optional plain-HTTP port on the same host (default none).
        public var httpPort: Int?
        /// The regions (default `westeurope`, `northeurope`, `eastus`).
        public var regions: [String] = ["westeurope", "northeurope", "eastus"]
        /// How many subscriptions are created on first start (default 2).
        public var subscriptionCount: Int = 2
        /// The `Retry-After` seconds of long-running operations (default 1).
        public var retryAfterSeconds: Int = 1
        /// Items per page in ARM lists before a `nextLink` (default 100).
        public var listPageSize: Int = 100

        /// A configuration with defaults for everything but the data folder.
        public init(dataDirectory: URL) {
            self.dataDirectory = dataDirectory
        }
    }
}
