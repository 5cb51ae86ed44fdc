@testable import LocalCloud

extension JSONValue {
    /// The element at `index` of an array, or `nil`.
    subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
