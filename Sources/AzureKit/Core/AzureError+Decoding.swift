import Foundation
import NIOCore
import NIOHTTP1

extension AzureError {
    /// Builds the error for a failed response from its status, headers and (buffered) body.
    ///
    /// Understands ARM's `{"error":{"code","message"}}`, a top-level `{"code","message"}`, Entra ID's
    /// `{"error":"…","error_description":"…"}` and storage's `<Error><Code>…</Code><Message>…</Message></Error>`;
    /// anything else falls back to the `x-ms-error-code` header and the start of the body text.
    public static func decode(status: Int, headers: HTTPHeaders, body: [UInt8], resource: String?) -> AzureError {
        let requestID = headers.first(name: "x-ms-request-id") ?? headers.first(name: "x-ms-correlation-request-id")
        var azureCode = headers.first(name: "x-ms-error-code")
        var message: String?
        if let parsed = decodeJSONError(body) {
            azureCode = parsed.code ?? azureCode
            message = parsed.message
        } else if let parsed = decodeXMLError(body) {
            azureCode = parsed.code ?? azureCode
            message = parsed.message
        } else if !body.isEmpty {
            let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { message = text }
        }
        let fallback = HTTPResponseStatus(statusCode: status).reasonPhrase
        return AzureError(
            .service,
            status: status,
            azureCode: azureCode,
            message: message ?? "The service answered \(status) \(fallback).",
            requestID: requestID,
            resource: resource,
            retryAfter: retryAfter(from: headers)
        )
    }

    /// The wait the service asked for: `x-ms-retry-after-ms` / `retry-after-ms` (milliseconds) or
    /// `Retry-After` (seconds or an HTTP date), whichever is present first.
    public static func retryAfter(from headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        for name in ["x-ms-retry-after-ms", "retry-after-ms"] {
            if let value = headers.first(name: name),
                let milliseconds = Double(value.trimmingCharacters(in: .whitespaces)),
                milliseconds >= 0
            {
                return .milliseconds(Int64(milliseconds))
            }
        }
        guard let value = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        if let date = AzureHTTPDate.parse(value) {
            return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
        }
        return nil
    }

    static func decodeJSONError(_ body: [UInt8]) -> (code: String?, message: String?)? {
        guard let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{"),
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else { return nil }
        if let error = object["error"] as? [String: Any] {
            return (error["code"] as? String, error["message"] as? String)
        }
        if let error = object["error"] as? String {
            let description = (object["error_description"] as? String).map {
                $0.components(separatedBy: "\r\n").first ?? $0
            }
            return (error, description)
        }
        if object["code"] != nil || object["message"] != nil {
            return (object["code"] as? String, object["message"] as? String)
        }
        return nil
    }

    static func decodeXMLError(_ body: [UInt8]) -> (code: String?, message: String?)? {
        guard let root = try? AzureXMLParser.parse(body), root.name == "Error" else { return nil }
        var message = root.childText("Message").map { text in
            // Storage appends "\nRequestId:…\nTime:…"; the request ID is reported separately.
            text.components(separatedBy: "\n").first ?? text
        }
        if let detail = root.nonEmptyChildText("AuthenticationErrorDetail") {
            message = (message ?? "") + " " + detail
        }
        if let parameter = root.nonEmptyChildText("QueryParameterName") {
            message = (message ?? "") + " (query parameter \(parameter))"
        }
        if let header = root.nonEmptyChildText("HeaderName") {
            message = (message ?? "") + " (header \(header))"
        }
        return (root.childText("Code"), message)
    }
}
