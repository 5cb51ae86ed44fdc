import Foundation
import HTTPTypes

/// The conditional headers of blob operations (`If-Match`, `If-None-Match`, `If-Modified-Since`,
/// `If-Unmodified-Since`), evaluated as Azure does.
enum BlobConditions {
    /// The outcome for a read.
    enum ReadOutcome {
        case proceed
        case notModified
    }

    /// Checks conditions of a write against the current blob (`nil` when it does not exist).
    static func checkWrite(_ request: StorageRequest, etag: String?, lastModified: Date?) throws {
        if let match = request.header("if-match") {
            guard let etag, match == "*" || quotedList(match).contains(etag) else { throw conditionNotMet }
        }
        if let noneMatch = request.header("if-none-match") {
            if noneMatch == "*" {
                if etag != nil {
                    throw StorageError(.conflict, "BlobAlreadyExists", "The specified blob already exists.")
                }
            } else if let etag, quotedList(noneMatch).contains(etag) {
                throw conditionNotMet
            }
        }
        if let text = request.header("if-modified-since"), let since = HTTPDate.parseRFC1123(text), let lastModified {
            if lastModified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970 {
                throw conditionNotMet
            }
        }
        if let text = request.header("if-unmodified-since"), let since = HTTPDate.parseRFC1123(text), let lastModified {
            if lastModified.timeIntervalSince1970.rounded(.down) > since.timeIntervalSince1970 { throw conditionNotMet }
        }
    }

    /// Checks conditions of a read; `If-None-Match` / `If-Modified-Since` give 304.
    static func checkRead(_ request: StorageRequest, etag: String, lastModified: Date) throws -> ReadOutcome {
        if let match = request.header("if-match"), match != "*", !quotedList(match).contains(etag) {
            throw conditionNotMet
        }
        if let text = request.header("if-unmodified-since"), let since = HTTPDate.parseRFC1123(text),
            lastModified.timeIntervalSince1970.rounded(.down) > since.timeIntervalSince1970
        {
            throw conditionNotMet
        }
        if let noneMatch = request.header("if-none-match"), noneMatch == "*" || quotedList(noneMatch).contains(etag) {
            return .notModified
        }
        if let text = request.header("if-modified-since"), let since = HTTPDate.parseRFC1123(text),
            lastModified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970
        {
            return .notModified
        }
        return .proceed
    }

    private static func quotedList(_ header: String) -> [String] {
        header.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }

    static let conditionNotMet = StorageError(
        .preconditionFailed,
        "ConditionNotMet",
        "The condition specified using HTTP conditional header(s) is not met."
    )
}
