import ArgumentParser
import Foundation

/// Options shared by every command that reports something: `--json` for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the result as JSON on standard output (for scripts); no progress bar.")
    var json = false

    /// Whether a progress bar may be drawn (a terminal on standard error, and not `--json`).
    var showsProgress: Bool { !json && Terminal.standardErrorIsTerminal }

    /// Prints a value as JSON when `--json` is set, or the text otherwise.
    func emit(_ value: some Encodable, text: () -> String) throws {
        if json {
            print(try Self.encode(value))
        } else {
            let rendered = text()
            if !rendered.isEmpty { print(rendered) }
        }
    }

    /// Encodes a value as pretty-printed JSON with sorted keys and ISO 8601 dates.
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
