// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target: Swift 6 language mode (complete strict concurrency),
/// explicit existentials, explicit member imports, and no warnings.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Nimbus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nimbus", targets: ["nimbus"]),
        .executable(name: "nimbus-worker", targets: ["nimbus-worker"]),
        .library(name: "BackupRepository", targets: ["BackupRepository"]),
        .library(name: "AzureKit", targets: ["AzureKit"]),
        .library(name: "LocalCloud", targets: ["LocalCloud"]),
        .library(name: "FileRestore", targets: ["FileRestore"]),
        .library(name: "WorkerProtocol", targets: ["WorkerProtocol"]),
        .library(name: "Appliance", targets: ["Appliance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: C libraries
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),

        // MARK: The native backup format
        .target(
            name: "BackupRepository",
            dependencies: [
                "CZstd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        // The ObjectStore contract as checks and a fault-injecting store (for tests and the crash driver only)
        .target(
            name: "BackupRepositoryTesting",
            dependencies: ["BackupRepository"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BackupRepositoryTests",
            dependencies: [
                "BackupRepository",
                "BackupRepositoryTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RepositoryBench",
            dependencies: ["BackupRepository"],
            path: "Benchmarks/RepositoryBench",
            swiftSettings: swiftSettings
        ),

        // MARK: Read-only partition tables and file systems over a restore point's disk
        .target(
            name: "FileRestore",
            dependencies: ["BackupRepository"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FileRestoreTests",
            dependencies: [
                "FileRestore",
                "BackupRepository",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Images"],
            swiftSettings: swiftSettings
        ),

        // MARK: libFuzzer targets of the file-level restore parsers (`make fuzz`; never linked into shipped binaries)
        .target(
            name: "FuzzSupport",
            path: "Fuzz/FuzzSupport",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzPartitions",
            dependencies: ["FileRestore", "FuzzSupport"],
            path: "Fuzz/FuzzPartitions",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzExt4",
            dependencies: ["FileRestore", "FuzzSupport"],
            path: "Fuzz/FuzzExt4",
            swiftSettings: swiftSettings
        ),

        // The NTFS parser's libFuzzer target (Fuzz/FileRestoreFuzzNTFS/run.sh); no shipped binary links it
        .executableTarget(
            name: "FileRestoreFuzzNTFS",
            dependencies: ["FileRestore"],
            path: "Fuzz/FileRestoreFuzzNTFS",
            exclude: ["make-seeds.sh", "run.sh"],
            swiftSettings: swiftSettings
        ),

        // MARK: The messages between appliance and workers, and their sealed secrets
        .target(
            name: "WorkerProtocol",
            dependencies: [
                "BackupRepository",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkerProtocolTests",
            dependencies: [
                "WorkerProtocol",
                "BackupRepository",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The one Azure client
        .target(
            name: "AzureKit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AzureKitTests",
            dependencies: [
                "AzureKit",
                "LocalCloud",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: A repository in Azure Blob storage
        .target(
            name: "AzureBlobStore",
            dependencies: [
                "BackupRepository",
                "AzureKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AzureBlobStoreTests",
            dependencies: [
                "AzureBlobStore",
                "AzureKit",
                "BackupRepository",
                "BackupRepositoryTesting",
                "LocalCloud",
                "LocalCloudTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The worker: queue loop, jobs, and snapshot reading over SAS (no emulator, no web server)
        .target(
            name: "Worker",
            dependencies: [
                "WorkerProtocol",
                "BackupRepository",
                "AzureBlobStore",
                "AzureKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkerTests",
            dependencies: [
                "Worker",
                "WorkerProtocol",
                "AzureBlobStore",
                "AzureKit",
                "BackupRepository",
                "LocalCloud",
                "LocalCloudTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The appliance: catalog, snapshots, regional infrastructure, worker fleet, sessions, REST API
        .target(
            name: "Appliance",
            dependencies: [
                "WorkerProtocol",
                "BackupRepository",
                "AzureBlobStore",
                "AzureKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ApplianceTests",
            dependencies: [
                "Appliance",
                "WorkerProtocol",
                "BackupRepository",
                "AzureBlobStore",
                "AzureKit",
                "LocalCloud",
                "LocalCloudTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The worker daemon: links the worker and its libraries only (no emulator, no web server)
        .executableTarget(
            name: "nimbus-worker",
            dependencies: [
                "Worker",
                "WorkerProtocol",
                "AzureKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The Azure-shaped emulator
        .target(
            name: "LocalCloud",
            dependencies: [
                "AzureKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        // A LocalCloud in process with an ARM client and helpers, for the tests of Azure-facing code only
        .target(
            name: "LocalCloudTesting",
            dependencies: [
                "LocalCloud",
                "AzureKit",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LocalCloudTests",
            dependencies: [
                "LocalCloud",
                "AzureKit",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Crash-test driver of the maintenance tests (runs one backup or prune to be killed or stopped)
        .executableTarget(
            name: "nimbus-crashtest",
            dependencies: ["BackupRepository", "BackupRepositoryTesting"],
            swiftSettings: swiftSettings
        ),

        // MARK: The executable
        .executableTarget(
            name: "nimbus",
            dependencies: [
                "Appliance",
                "BackupRepository",
                "FileRestore",
                "LocalCloud",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "nimbusTests",
            dependencies: ["nimbus", "BackupRepository"],
            swiftSettings: swiftSettings
        ),
    ]
)
