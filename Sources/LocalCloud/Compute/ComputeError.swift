/// An error from LocalCloud's compute, disk or network resources, carrying the Azure error code and HTTP status
/// that Azure returns for the same situation.
public struct ComputeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong: Azure's error code and the HTTP status it comes with.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// Azure's error code, for example `InvalidParameter`.
        public let azureCode: String
        /// The HTTP status Azure answers with.
        public let status: Int

        private init(_ azureCode: String, _ status: Int) {
            self.azureCode = azureCode
            self.status = status
        }

        public var description: String { azureCode }

        /// A request field is missing or has a value Azure refuses.
        public static let invalidParameter = Code("InvalidParameter", 400)
        /// A referenced resource does not exist.
        public static let notFound = Code("NotFound", 404)
        /// The resource itself does not exist.
        public static let resourceNotFound = Code("ResourceNotFound", 404)
        /// The operation is not allowed in the resource's current state.
        public static let operationNotAllowed = Code("OperationNotAllowed", 409)
        /// Another operation on the resource is still running.
        public static let conflict = Code("Conflict", 409)
        /// A referenced resource does not exist, or lives in another region.
        public static let invalidResourceReference = Code("InvalidResourceReference", 400)
        /// The request is malformed in a way Azure reports as a bad request.
        public static let badRequest = Code("BadRequest", 400)
        /// A resource is still used by another one.
        public static let inUse = Code("InUseSubnetCannotBeDeleted", 400)
        /// A local process could not be started.
        public static let processStartFailed = Code("InternalExecutionError", 500)
        /// A local file operation failed.
        public static let storageFailure = Code("InternalDiskManagementError", 500)

        /// A code for another Azure error.
        public static func other(_ azureCode: String, status: Int) -> Code { Code(azureCode, status) }
    }

    /// What went wrong.
    public var code: Code
    /// A message for the caller, naming the resource and what to do.
    public var message: String
    /// The request field the error is about, when there is one.
    public var target: String?

    /// Creates an error.
    public init(code: Code, message: String, target: String? = nil) {
        self.code = code
        self.message = message
        self.target = target
    }

    public var description: String { "\(code.azureCode): \(message)" }
}
