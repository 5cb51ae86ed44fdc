import AzureKit
import HTTPTypes
import Hummingbird

/// A response from an ARM handler: status, extra headers and an optional JSON body.
public struct ARMResponse: Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// Extra headers, e.g. `Azure-AsyncOperation`, `Location`, `Retry-After`.
    public var headers: [String: String]
    /// The JSON body, if any.
    public var body: AzureJSON?

    /// Creates a response.
    public init(status: HTTPResponse.Status, headers: [String: String] = [:], body: AzureJSON? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `200 OK` with a JSON body.
    public static func ok(_ body: AzureJSON) -> ARMResponse { ARMResponse(status: .ok, body: body) }

    /// `201 Created` with a JSON body.
    public static func created(_ body: AzureJSON) -> ARMResponse { ARMResponse(status: .created, body: body) }

    /// `204 No Content`.
    public static let noContent = ARMResponse(status: .noContent)
}
