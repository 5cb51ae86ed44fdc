import AzureKit
import HTTPTypes
import Hummingbird

/// An ARM error response: an HTTP status and Azure's `{"error":{"code","message"}}` body.
public struct ARMError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// Azure's error code, e.g. `ResourceNotFound`.
    public var code: String
    /// A human-readable message.
    public var message: String
    /// The `target` member, when Azure names the offending property.
    public var target: String?
    /// Extra response headers (e.g. `WWW-Authenticate`, `Retry-After`).
    public var headers: [String: String]

    /// Creates an ARM error.
    public init(
        _ status: HTTPResponse.Status,
        _ code: String,
        _ message: String,
        target: String? = nil,
        headers: [String: String] = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.headers = headers
    }

    /// The JSON body.
    public var body: AzureJSON {
        var error: [String: AzureJSON] = ["code": .string(code), "message": .string(message)]
        if let target { error["target"] = .string(target) }
        return ["error": .object(error)]
    }

    public var description: String { "ARM \(status.code) \(code): \(message)" }

    /// 404 `ResourceNotFound` for a resource of `type` named `name`.
    public static func resourceNotFound(type: String, name: String, resourceGroup: String?) -> ARMError {
        let scope = resourceGroup.map { " under resource group '\($0)'" } ?? ""
        return ARMError(
            .notFound,
            "ResourceNotFound",
            "The Resource '\(type)/\(name)'\(scope) was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
        )
    }

    /// 404 `ResourceGroupNotFound`.
    public static func resourceGroupNotFound(_ name: String) -> ARMError {
        ARMError(.notFound, "ResourceGroupNotFound", "Resource group '\(name)' could not be found.")
    }

    /// 404 `NotFound` for a referenced resource that exists, but in another region. Compute looks references up in
    /// the region of the resource being written, so Azure answers as for a missing one: "The entity was not found
    /// in this Azure location." (seen for cross-region disk and snapshot sources, e.g.
    /// kubernetes-sigs/azuredisk-csi-driver#2467, Azure/azure-cli#11909, openshift/openshift-azure#1540).
    public static func notInThisLocation() -> ARMError {
        ARMError(.notFound, "NotFound", "The entity was not found in this Azure location.")
    }

    /// 400 `InvalidParameter` naming the property.
    public static func invalidParameter(_ target: String, _ message: String) -> ARMError {
        ARMError(.badRequest, "InvalidParameter", message, target: target)
    }

    /// 400 `InvalidRequestContent` for a body that is not what the operation expects.
    public static func invalidRequestContent(_ message: String) -> ARMError {
        ARMError(.badRequest, "InvalidRequestContent", message)
    }

    /// 405 for a method the resource type does not support.
    public static func methodNotAllowed(_ method: String, path: String) -> ARMError {
        ARMError(
            .methodNotAllowed,
            "MethodNotAllowed",
            "The requested method '\(method)' is not allowed on '\(path)'."
        )
    }
}
