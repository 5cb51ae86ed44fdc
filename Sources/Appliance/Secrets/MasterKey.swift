import BackupRepository
import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The appliance's master key: 32 random bytes in a file only its owner can read (`DIR/master.key`, mode 0600).
///
/// Every secret the catalog holds (client secrets, repository passwords, worker keys) is sealed under this key as
/// a ``SealedSecret``. `description` names the file, never the key.
public struct MasterKey: Sendable, CustomStringConvertible {
    /// The size of the key in bytes.
    public static let byteCount = 32

    /// The file the key was read from or written to.
    public let path: String
    let key: SymmetricKey

    /// A key held in memory only, for tests and for values sealed outside the catalog.
    public init(bytes: some ContiguousBytes, path: String) throws(ApplianceError) {
        let key = SymmetricKey(data: bytes)
        guard key.bitCount == Self.byteCount * 8 else {
            throw ApplianceError.corrupt(
                "the master key \(path) holds \(key.bitCount / 8) bytes, not \(Self.byteCount): restore it from a backup"
            )
        }
        self.path = path
        self.key = key
    }

    public var description: String { "master key \(path)" }

    /// Creates a new random key in a new file `path` with mode 0600; an existing file is never overwritten.
    /// - Throws: ``ApplianceError/conflict(_:)`` when the file exists; ``ApplianceError/invalidInput(_:)`` when it
    ///   cannot be written.
    public static func create(at path: String, io: FileIOPool = .shared) async throws -> MasterKey {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        try await io.run { try writeNewFile(path, bytes: bytes) }
        return try MasterKey(bytes: bytes, path: path)
    }

    /// Reads the key in `path`, refusing a file that its group or others may read or write.
    /// - Throws: ``ApplianceError`` naming the file and what to do.
    public static func load(from path: String, io: FileIOPool = .shared) async throws -> MasterKey {
        let bytes = try await io.run { try readKeyFile(path) }
        return try MasterKey(bytes: bytes, path: path)
    }

    private static func writeNewFile(_ path: String, bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST {
                throw ApplianceError.conflict(
                    "the master key \(path) already exists: keep it (the catalog's secrets need it) or move it away"
                )
            }
            throw ApplianceError.invalidInput(
                "cannot create the master key \(path): \(String(cString: strerror(code)))"
            )
        }
        defer { close(descriptor) }
        // The umask can only narrow the mode; set it exactly all the same.
        guard fchmod(descriptor, 0o600) == 0,
            bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count,
            fsync(descriptor) == 0
        else {
            let code = errno
            unlink(path)
            throw ApplianceError.invalidInput("cannot write the master key \(path): \(String(cString: strerror(code)))")
        }
    }

    private static func readKeyFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT {
                throw ApplianceError.notFound(
                    "the master key \(path) does not exist: run `nimbus appliance init` or restore the key file"
                )
            }
            throw ApplianceError.invalidInput("cannot open the master key \(path): \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ApplianceError.invalidInput("cannot read the master key \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw ApplianceError.invalidInput(
                "the master key \(path) may be read by other users (mode "
                    + "\(String(status.st_mode & 0o777, radix: 8))): run `chmod 600 \(path)`"
            )
        }
        var bytes = [UInt8](repeating: 0, count: byteCount + 1)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else {
            throw ApplianceError.invalidInput("cannot read the master key \(path): \(String(cString: strerror(errno)))")
        }
        return Array(bytes.prefix(count))
    }
}
