import HTTPTypes
import Hummingbird

/// A Blob or Queue service error: status, Azure's error code (sent as `x-ms-error-code` and in the XML body) and
/// a message, plus optional detail elements such as `AuthenticationErrorDetail`.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// Azure's error code, e.g. `BlobNotFound`.
    public var code: String
    /// The message (without the `RequestId`/`Time` lines, which are added when rendered).
    public var message: String
    /// Extra child elements of `<Error>`, in order.
    public var details: [(String, String)]
    /// Extra headers (e.g. `Retry-After`).
    public var headers: [String: String]

    /// Creates an error.
    public init(
        _ status: HTTPResponse.Status,
        _ code: String,
        _ message: String,
        details: [(String, String)] = [],
        headers: [String: String] = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public var description: String { "Storage \(status.code) \(code): \(message)" }

    /// 403 `AuthenticationFailed` with a detail explaining why.
    public static func authenticationFailed(_ detail: String) -> StorageError {
        StorageError(
            .forbidden,
            "AuthenticationFailed",
            "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
            details: [("AuthenticationErrorDetail", detail)]
        )
    }

    /// 403 `AuthorizationPermissionMismatch`.
    public static let permissionMismatch = StorageError(
        .forbidden,
        "AuthorizationPermissionMismatch",
        "This request is not authorized to perform this operation using this permission."
    )

    /// 403 `AuthorizationResourceTypeMismatch`.
    public static let resourceTypeMismatch = StorageError(
        .forbidden,
        "AuthorizationResourceTypeMismatch",
        "This request is not authorized to perform this operation using this resource type."
    )

    /// 403 `AuthorizationServiceMismatch`.
    public static let serviceMismatch = StorageError(
        .forbidden,
        "AuthorizationServiceMismatch",
        "This request is not authorized to perform this operation using this service."
    )

    /// 403 `AuthorizationFailure`: the request's network origin is not allowed (public access disabled).
    public static let authorizationFailure = StorageError(
        .forbidden,
        "AuthorizationFailure",
        "This request is not authorized to perform this operation."
    )

    /// 400 `InvalidQueryParameterValue`.
    public static func invalidQueryParameter(_ name: String, _ value: String, reason: String? = nil) -> StorageError {
        var details = [("QueryParameterName", name), ("QueryParameterValue", value)]
        if let reason { details.append(("Reason", reason)) }
        return StorageError(
            .badRequest,
            "InvalidQueryParameterValue",
            "Value for one of the query parameters specified in the request URI is invalid.",
            details: details
        )
    }

    /// 400 `InvalidHeaderValue`.
    public static func invalidHeader(_ name: String, _ value: String) -> StorageError {
        StorageError(
            .badRequest,
            "InvalidHeaderValue",
            "The value for one of the HTTP headers is not in the correct format.",
            details: [("HeaderName", name), ("HeaderValue", value)]
        )
    }

    /// 400 `MissingRequiredHeader`.
    public static func missingHeader(_ name: String) -> StorageError {
        StorageError(
            .badRequest,
            "MissingRequiredHeader",
            "An HTTP header that's mandatory for this request is not specified.",
            details: [("HeaderName", name)]
        )
    }

    /// 400 `OutOfRangeQueryParameterValue`.
    public static func outOfRange(_ name: String, _ value: String, minimum: Int, maximum: Int) -> StorageError {
        StorageError(
            .badRequest,
            "OutOfRangeQueryParameterValue",
            "One of the query parameters specified in the request URI is outside the permissible range.",
            details: [
                ("QueryParameterName", name), ("QueryParameterValue", value), ("MinimumAllowed", String(minimum)),
                ("MaximumAllowed", String(maximum)),
            ]
        )
    }

    /// 404 `ResourceNotFound`.
    public static let resourceNotFound = StorageError(
        .notFound,
        "ResourceNotFound",
        "The specified resource does not exist."
    )

    /// 400 `InvalidUri`.
    public static let invalidURI = StorageError(
        .badRequest,
        "InvalidUri",
        "The requested URI does not represent any resource on the server."
    )

    /// 400 `UnsupportedHttpVerb` / operation.
    public static func unsupported(_ what: String) -> StorageError {
        StorageError(
            .badRequest,
            "UnsupportedHttpVerb",
            "The resource doesn't support the specified operation: \(what)."
        )
    }

    /// 500 `InternalError`.
    public static func internalError(_ detail: String) -> StorageError {
        StorageError(
            .internalServerError,
            "InternalError",
            "The server encountered an internal error. Please retry the request."
        )
    }

    /// 400 `Md5Mismatch`.
    public static func md5Mismatch(expected: String, actual: String) -> StorageError {
        StorageError(
            .badRequest,
            "Md5Mismatch",
            "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
            details: [("UserSpecifiedMd5", expected), ("ServerCalculatedMd5", actual)]
        )
    }

    /// 400 `InvalidMd5`.
    public static let invalidMD5 = StorageError(
        .badRequest,
        "InvalidMd5",
        "The MD5 value specified in the request is invalid. The MD5 value must be 128 bits and Base64-encoded."
    )

    /// 413 `RequestBodyTooLarge`.
    public static func bodyTooLarge(limit: Int) -> StorageError {
        StorageError(
            .contentTooLarge,
            "RequestBodyTooLarge",
            "The request body is too large and exceeds the maximum permissible limit.",
            details: [("MaxLimit", String(limit))]
        )
    }
}
