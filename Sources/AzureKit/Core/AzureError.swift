/// The one error type of AzureKit: a failed Azure call, or a client-side problem detected
/// before or after it.
///
/// Service errors carry the HTTP status, Azure's error code (from the ARM JSON body, the
/// storage XML body or the `x-ms-error-code` header), the service's message and the request ID.
/// Descriptions never contain secrets: SAS signatures and keys are redacted.
public struct AzureError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: Hashable, Sendable {
            case service
            case transport
            case truncatedBody
            case invalidResponse
            case invalidRequest
            case authentication
            case operationFailed
            case checksumMismatch
            case configuration
        }

        let base: Base

        /// The service answered with an error status; see ``AzureError/status`` and ``AzureError/azureCode``.
        public static let service = Code(base: .service)
        /// The connection failed or timed out before a complete response arrived.
        public static let transport = Code(base: .transport)
        /// The response body ended before the announced `Content-Length`.
        public static let truncatedBody = Code(base: .truncatedBody)
        /// The response could not be understood (bad JSON/XML, missing header).
        public static let invalidResponse = Code(base: .invalidResponse)
        /// The request was rejected by the client before sending (for example a queue message too large).
        public static let invalidRequest = Code(base: .invalidRequest)
        /// A token could not be obtained from Entra ID or the managed identity endpoint.
        public static let authentication = Code(base: .authentication)
        /// A long-running ARM operation ended as `Failed` or `Canceled`.
        public static let operationFailed = Code(base: .operationFailed)
        /// A downloaded body's MD5 did not match the `Content-MD5` the service sent.
        public static let checksumMismatch = Code(base: .checksumMismatch)
        /// The client configuration is invalid (endpoints, keys, certificates).
        public static let configuration = Code(base: .configuration)

        /// A description without secrets.
        public var description: String {
            switch base {
            case .service: "service error"
            case .transport: "transport error"
            case .truncatedBody: "truncated response body"
            case .invalidResponse: "invalid response"
            case .invalidRequest: "invalid request"
            case .authentication: "authentication failed"
            case .operationFailed: "operation failed"
            case .checksumMismatch: "checksum mismatch"
            case .configuration: "invalid configuration"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// The HTTP status of the response, when there was one.
    public var status: Int?
    /// Azure's error code, e.g. `BlobNotFound`, `ResourceGroupNotFound`, `ServerBusy`.
    public var azureCode: String?
    /// A sentence saying what went wrong (the service's message when it sent one), secrets redacted.
    public var message: String
    /// The service's `x-ms-request-id` (or ARM's correlation ID), to quote to Azure support.
    public var requestID: String?
    /// What the call was about: an HTTP method and redacted URL, a resource ID, a queue name.
    public var resource: String?
    /// How long the service asked to wait before retrying (`Retry-After`, `x-ms-retry-after-ms`).
    public var retryAfter: Duration?
    /// The underlying error, if any.
    public var underlying: (any Error & Sendable)?
    /// How many times the request was sent, retries included (set by ``RetryMiddleware``). A conditional
    /// request that failed after more than one attempt may have succeeded on an attempt whose answer was lost.
    public var attempts: Int = 1

    /// Creates an error; `message` and `resource` are redacted.
    public init(
        _ code: Code,
        status: Int? = nil,
        azureCode: String? = nil,
        message: String,
        requestID: String? = nil,
        resource: String? = nil,
        retryAfter: Duration? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.status = status
        self.azureCode = azureCode
        self.message = Redaction.redact(message)
        self.requestID = requestID
        self.resource = resource.map(Redaction.redact)
        self.retryAfter = retryAfter
        self.underlying = underlying
    }

    /// A description without secrets.
    public var description: String {
        var text = "Azure \(code)"
        if let resource { text += " for \(resource)" }
        if let status { text += ": HTTP \(status)" }
        if let azureCode { text += " \(azureCode)" }
        text += ": \(message)"
        if let requestID { text += " (request ID \(requestID))" }
        if let underlying { text += " [\(Redaction.redact(String(describing: underlying)))]" }
        return text
    }
}

extension AzureError {
    /// Whether this error is the service's "not found" answer (HTTP 404).
    public var isNotFound: Bool { code == .service && status == 404 }

    /// Whether this error is a conflict (HTTP 409), e.g. `ContainerAlreadyExists`.
    public var isConflict: Bool { code == .service && status == 409 }

    /// Whether a precondition failed (HTTP 412), e.g. `If-None-Match: *` on an existing blob.
    public var isPreconditionFailed: Bool { code == .service && status == 412 }
}
