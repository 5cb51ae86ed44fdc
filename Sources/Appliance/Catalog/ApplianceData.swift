import BackupRepository
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The appliance's data folder: its master key (`master.key`, 0600) and its catalog (`catalog.sqlite`), in a
/// folder only its owner may enter (0700).
public struct ApplianceData: Sendable {
    /// The master key's file name inside the folder.
    public static let masterKeyFileName = "master.key"

    /// The folder.
    public let directory: String
    /// The key that seals the catalog's secrets.
    public let masterKey: MasterKey
    /// The catalog.
    public let catalog: Catalog

    /// What ``initialize(directory:now:io:)`` made.
    public struct Initialized: Sendable {
        /// The opened data folder.
        public var data: ApplianceData
        /// The admin API token, in clear: shown once, only its hash is stored.
        public var adminToken: String
    }

    /// Creates a data folder: the folder (0700) unless it exists, a new master key, the catalog, and an admin
    /// API token named `admin`.
    /// - Throws: ``ApplianceError/conflict(_:)`` when the folder already holds a catalog or a master key.
    public static func initialize(
        directory: String,
        now: Date = Date(),
        io: FileIOPool = .shared
    ) async throws -> Initialized {
        let catalogPath = path(directory, Catalog.fileName)
        let keyPath = path(directory, masterKeyFileName)
        try await io.run { try prepareFolder(directory, catalogPath: catalogPath) }
        let key = try await MasterKey.create(at: keyPath, io: io)
        do {
            let catalog = try await Catalog.open(path: catalogPath, io: io)
            let token = APITokenRecord.generateToken()
            try await catalog.insert(APITokenRecord(name: "admin", role: .admin, token: token, created: now))
            return Initialized(
                data: ApplianceData(directory: directory, masterKey: key, catalog: catalog),
                adminToken: token
            )
        } catch {
            // Nothing half made is left behind, so that a second init can succeed.
            try? await io.run {
                for file in [keyPath, catalogPath, catalogPath + "-wal", catalogPath + "-shm"] {
                    try? FileManager.default.removeItem(atPath: file)
                }
            }
            throw error
        }
    }

    /// Opens an initialised data folder.
    /// - Throws: ``ApplianceError/notFound(_:)`` when it holds no catalog; the master key's errors (a missing
    ///   key, or one others may read).
    public static func open(directory: String, io: FileIOPool = .shared) async throws -> ApplianceData {
        let catalogPath = path(directory, Catalog.fileName)
        let exists = try await io.run { FileManager.default.fileExists(atPath: catalogPath) }
        guard exists else {
            throw ApplianceError.notFound(
                "\(directory) holds no appliance catalog (\(Catalog.fileName)): run "
                    + "`nimbus appliance init --data \(directory)` first"
            )
        }
        let key = try await MasterKey.load(from: path(directory, masterKeyFileName), io: io)
        let catalog = try await Catalog.open(path: catalogPath, io: io)
        return ApplianceData(directory: directory, masterKey: key, catalog: catalog)
    }

    private static func path(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    private static func prepareFolder(_ directory: String, catalogPath: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw ApplianceError.invalidInput("\(directory) is a file, not a folder: give a folder for the data")
            }
            guard !FileManager.default.fileExists(atPath: catalogPath) else {
                throw ApplianceError.conflict(
                    "\(directory) already holds an appliance catalog (\(Catalog.fileName)): use it as it is, or "
                        + "give another folder"
                )
            }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw ApplianceError.invalidInput(
                    "cannot create the folder \(parent) for the data folder \(directory): check the path and its "
                        + "permissions"
                )
            }
        }
        guard mkdir(directory, 0o700) == 0, chmod(directory, 0o700) == 0 else {
            throw ApplianceError.invalidInput(
                "cannot create the data folder \(directory): \(String(cString: strerror(errno)))"
            )
        }
    }
}
