/// Where a sealed secret belongs: its table, its column and its row.
///
/// The binding is the associated data of the seal, so a sealed value copied to another row, column or table does
/// not open there.
public struct SecretBinding: Sendable, Hashable, CustomStringConvertible {
    /// The catalog table.
    public var table: String
    /// The column of the table.
    public var column: String
    /// The row's ID.
    public var row: String

    /// A binding to `table.column` of the row `row`.
    public init(table: String, column: String, row: String) {
        self.table = table
        self.column = column
        self.row = row
    }

    /// `table.column of row`, for error messages.
    public var description: String { "\(table).\(column) of row \(row)" }

    /// The associated data the seal authenticates.
    var associatedData: [UInt8] { Array("nimbus-catalog-secret/v1/\(table)/\(column)/\(row)".utf8) }
}
