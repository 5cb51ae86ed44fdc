import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// The pieces of a request URL LocalCloud routes on: decoded path segments and query parameters.
public struct RequestParts: Sendable {
    /// The raw (still percent-encoded) path.
    public var rawPath: String
    /// The percent-decoded path segments, without empty ones at the ends.
    public var segments: [String]
    /// The decoded query parameters; repeated names keep every value in order.
    public var query: [(name: String, value: String)]

    /// Splits `request`'s URI.
    public init(_ request: Request) {
        self.init(path: request.uri.path, query: request.uri.query)
    }

    /// Splits a raw path and query string.
    public init(path: String, query: String?) {
        rawPath = path
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map {
            RequestParts.percentDecode(String($0))
        }
        if segments.first == "" { segments.removeFirst() }
        if segments.last == "" { segments.removeLast() }
        self.segments = segments
        var items: [(String, String)] = []
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = pair.firstIndex(of: "=") {
                items.append(
                    (
                        RequestParts.percentDecode(String(pair[..<equals])),
                        RequestParts.percentDecode(String(pair[pair.index(after: equals)...]))
                    )
                )
            } else {
                items.append((RequestParts.percentDecode(String(pair)), ""))
            }
        }
        self.query = items
    }

    /// The first value of query parameter `name` (case-insensitive), or `nil`.
    public func value(_ name: String) -> String? {
        let lowered = name.lowercased()
        return query.first { $0.name.lowercased() == lowered }?.value
    }

    /// The query parameters as a dictionary of first values.
    public var firstValues: [String: String] {
        var result: [String: String] = [:]
        for item in query where result[item.name] == nil { result[item.name] = item.value }
        return result
    }

    /// Decodes `%XX` escapes; a malformed escape is kept as is. `+` stays `+`.
    public static func percentDecode(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Request {
    /// Collects the whole body up to `limit` bytes.
    func collectBody(limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await chunk in body {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                throw BodyTooLarge()
            }
            var chunk = chunk
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    /// The value of header `name`, or `nil`.
    func header(_ name: String) -> String? {
        guard let field = HTTPField.Name(name) else { return nil }
        return headers[field]
    }
}

/// A request body exceeded what the operation accepts.
struct BodyTooLarge: Error {}

extension Response {
    /// A response with a JSON body.
    static func json(_ status: HTTPResponse.Status, _ body: AzureJSON, headers: [String: String] = [:]) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body.serialized())))
    }
}

extension HTTPFields {
    /// Sets header `name` to `value`; names that are not valid header names are ignored.
    mutating func set(_ name: String, _ value: String) {
        if let field = HTTPField.Name(name) { self[field] = value }
    }
}
