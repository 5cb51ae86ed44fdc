import Foundation
import HTTPTypes
import Hummingbird

/// Renders ``StorageError``s as Azure does: status, `x-ms-error-code`, and (except for HEAD) an XML body with a
/// UTF-8 byte-order mark, the code, and a message ending in `RequestId` and `Time` lines.
enum StorageErrorResponse {
    static func render(_ error: StorageError, method: HTTPRequest.Method, request: Request?) -> Response {
        let requestID = UUID().uuidString.lowercased()
        var headers = HTTPFields()
        headers.set("x-ms-error-code", error.code)
        headers.set("x-ms-request-id", requestID)
        headers.set("x-ms-version", request?.header("x-ms-version") ?? StorageService.defaultVersion)
        if let clientRequestID = request?.header("x-ms-client-request-id") {
            headers.set("x-ms-client-request-id", clientRequestID)
        }
        for (name, value) in error.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        if method == .head {
            headers[.contentLength] = "0"
            return Response(status: error.status, headers: headers)
        }
        var xml = XMLWriter()
        xml.open("Error")
        xml.element("Code", error.code)
        xml.element("Message", "\(error.message)\nRequestId:\(requestID)\nTime:\(HTTPDate.iso8601(Date()))")
        for (name, value) in error.details { xml.element(name, value) }
        xml.close("Error")
        headers[.contentType] = "application/xml"
        let body = xml.document()
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: body))
    }
}
