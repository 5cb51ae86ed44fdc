import Foundation

extension VMConfiguration {
    /// Parses a configuration in the JSON form restore points store it in (docs/FORMAT.md, "`vm` fields").
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/invalidArgument`` saying which field is wrong.
    public init(parsing data: Data) throws {
        do {
            self = try Repository.jsonDecoder().decode(VMConfiguration.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw RepositoryError(
                .invalidArgument,
                "the VM configuration lacks the field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'; "
                    + "see docs/FORMAT.md for its fields"
            )
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw RepositoryError(
                .invalidArgument,
                "the VM configuration is not valid\(path.isEmpty ? "" : " at '\(path)'"): \(context.debugDescription)"
            )
        }
    }

    /// The JSON form, with sorted keys.
    public func encoded() throws -> Data {
        try Repository.jsonEncoder().encode(self)
    }
}
