import AzureKit
import Foundation
import HTTPTypes

/// Checks of names and tags shared by ARM resource types, with Azure's limits and error codes.
public enum ARMValidation {
    /// Validates a `tags` member: an object of at most 50 string values, names ≤ 512 characters (128 for storage
    /// accounts) without `<>%&\?/`, values ≤ 256 characters. Returns the tags, or `nil` when absent.
    public static func tags(_ value: AzureJSON?, maximumNameLength: Int = 512) throws -> AzureJSON? {
        guard let value, value != .null else { return nil }
        guard case .object(let members) = value else {
            throw ARMError.invalidRequestContent("The tags property must be an object of string values.")
        }
        // Codes and wording as ARM answers them; Azure PowerShell mirrors ARM's tag checks word for word
        // (Azure/azure-powershell, src/Migrate/custom/New-AzMigrateServerReplication.ps1): `InvalidTags` for the
        // count, `InvalidTagNameCharacters`, `InvalidTagName` (empty or too long) and `InvalidTagValueLength`.
        if members.count > 50 {
            throw ARMError(
                .badRequest,
                "InvalidTags",
                "Too many tags specified. Requested tag count - '\(members.count)'. Maximum number of tags allowed - '50'."
            )
        }
        for (name, tagValue) in members.sorted(by: { $0.key < $1.key }) {
            guard case .string(let text) = tagValue else {
                throw ARMError.invalidRequestContent("The value of tag '\(name)' must be a string.")
            }
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ARMError(
                    .badRequest,
                    "InvalidTagName",
                    "The tag name must be non-null, non-empty and non-whitespace only. Please provide an actual value."
                )
            }
            if name.contains(where: { "<>%&\\?/".contains($0) || $0.isASCII && ($0.asciiValue ?? 0) < 0x20 }) {
                throw ARMError(
                    .badRequest,
                    "InvalidTagNameCharacters",
                    "The tag names '\(name.prefix(64))' have reserved characters '<,>,%,&,\\,?,/' or control characters."
                )
            }
            if name.count > maximumNameLength {
                throw ARMError(
                    .badRequest,
                    "InvalidTagName",
                    "Tag key too large. Following tag name '\(name.prefix(64))…' exceeded the maximum length. "
                        + "Maximum allowed length for tag name - '\(maximumNameLength)' characters."
                )
            }
            if text.count > 256 {
                throw ARMError(
                    .badRequest,
                    "InvalidTagValueLength",
                    "Tag value too large. Following tag value '\(text.prefix(64))…' exceeded the maximum length. "
                        + "Maximum allowed length for tag value - '256' characters."
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
