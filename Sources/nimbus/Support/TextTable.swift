/// A plain text table with left-aligned first column and right-aligned others.
struct TextTable: Sendable {
    /// The column titles.
    var header: [String]
    /// The rows; each has as many cells as the header.
    var rows: [[String]] = []

    /// The table as lines separated by newlines, with a rule under the header.
    func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in
            all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return index == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
