import HTTPTypes

/// Checks of names and tags shared by ARM resource types, with Azure's limits and error codes.
public enum ARMValidation {
    /// Validates a `tags` member: an object of at most 50 string values, names ≤ 512 characters (128 for storage
    /// accounts) without `<>%&\?/`, values ≤ 256 characters. Returns the tags, or `nil` when absent.
    public static func tags(_ value: JSONValue?, maximumNameLength: Int = 512) throws -> JSONValue? {
        guard let value, value != .null else { return nil }
        guard case .object(let members) = value else {
            throw ARMError.invalidRequestContent("The tags property must be an object of string values.")
        }
        if members.count > 50 {
            throw ARMError(
                .badRequest,
                "InvalidTagCount",
                "The number of tags (\(members.count)) exceeds the maximum of 50 tags per resource."
            )
        }
        for (name, tagValue) in members {
            guard case .string(let text) = tagValue else {
                throw ARMError.invalidRequestContent("The value of tag '\(name)' must be a string.")
            }
            if name.count > maximumNameLength || name.isEmpty || name.contains(where: { "<>%&\\?/".contains($0) }) {
                throw ARMError(
                    .badRequest,
                    "InvalidTagNameCharacters",
                    "The tag name '\(name.prefix(64))' is invalid: names are 1-\(maximumNameLength) characters without <, >, %, &, \\, ?, /."
                )
            }
            if text.count > 256 {
                throw ARMError(
                    .badRequest,
                    "InvalidTagValueLength",
                    "The value of tag '\(name.prefix(64))' has \(text.count) characters; the maximum is 256."
                )
            }
        }
        return value
    }

    /// Validates a resource group name: 1-90 characters, letters, digits, `_ - . ( )`, not ending in `.`.
    public static func resourceGroupName(_ name: String) throws {
        let allowed = name.allSatisfy { $0.isLetter || $0.isNumber || "_-.()".contains($0) }
        if name.isEmpty || name.count > 90 || !allowed || name.hasSuffix(".") {
            throw ARMError(
                .badRequest,
                "InvalidResourceGroup",
                "The provided resource group name '\(name)' has these invalid characters or length; see https://aka.ms/resource-group-naming."
            )
        }
    }
}
