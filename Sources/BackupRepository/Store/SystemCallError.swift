#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: what was attempted and the `errno` it returned.
public struct SystemCallError: Error, Sendable, CustomStringConvertible {
    /// What the call tried to do (for example "write" or "rename into place").
    public var operation: String
    /// The `errno` value.
    public var code: Int32

    /// Creates an error from an operation name and an `errno` value.
    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation): \(String(cString: strerror(code))) (errno \(code))"
    }
}
