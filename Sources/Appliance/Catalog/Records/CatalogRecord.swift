import GRDB

/// A row of a catalog table: a Codable value GRDB reads and writes, columns named as its properties.
///
/// Nested values (lists, dictionaries, structs) are stored as JSON text, enums as their raw values, dates as
/// UTC text and UUIDs as 16-byte blobs.
public protocol CatalogRecord: Codable, Sendable, FetchableRecord, PersistableRecord {}
