import BackupRepository
import Foundation

extension ChangedRanges {
    /// Reads and checks a changed-ranges file (the engine checks the ranges against the disk later).
    /// - Throws: ``CommandFailure`` naming the file when it is missing or malformed.
    static func load(from path: String) throws -> ChangedRanges {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(.notFound, "cannot read the changed-ranges file '\(path)': check the path")
        }
        do {
            return try ChangedRanges(parsing: data)
        } catch let error as RepositoryError {
            throw CommandFailure(.failure, "the changed-ranges file '\(path)' is invalid: \(error.message)")
        }
    }

    /// Writes the ranges in their JSON form.
    func save(to path: String) throws {
        do {
            try encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure(.io, "cannot write the changed-ranges file '\(path)': \(error.localizedDescription)")
        }
    }
}
