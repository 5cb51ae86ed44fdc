import LocalCloudTesting

/// The worker tests' LocalCloud harness.
typealias WorkerCloud = TestCloud
