import ArgumentParser
import BackupRepository
import Foundation

/// Restore point metadata from the command line: `--metadata-file FILE` and `--meta key=value`.
struct MetadataOptions: ParsableArguments {
    @Option(
        name: .customLong("meta"),
        help: ArgumentHelp("Add a metadata field to the restore point (repeatable).", valueName: "key=value")
    )
    var fields: [String] = []

    @Option(help: ArgumentHelp("Read restore point metadata from a JSON object in this file.", valueName: "file"))
    var metadataFile: String?

    /// The metadata as a JSON object: the file's fields, then each `--meta` field (which wins).
    func metadata() throws -> Data {
        var object: [String: JSONValue] = [:]
        if let metadataFile {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: metadataFile))
            } catch {
                throw CommandFailure(.notFound, "cannot read the metadata file '\(metadataFile)': check the path")
            }
            guard case .object(let fields)? = (try? JSONValue(parsing: data)) else {
                throw CommandFailure(.failure, "the metadata file '\(metadataFile)' does not hold a JSON object")
            }
            object = fields
        }
        for field in fields {
            guard let equals = field.firstIndex(of: "="), equals != field.startIndex else {
                throw ValidationError("'--meta \(field)' is not key=value")
            }
            object[String(field[..<equals])] = .string(String(field[field.index(after: equals)...]))
        }
        return try JSONValue.object(object).encoded()
    }
}
