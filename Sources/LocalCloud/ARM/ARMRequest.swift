import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// A parsed ARM request, as handed to an ``ARMResourceProvider``.
///
/// For `PUT /subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/V/subnets/N`:
/// `subscriptionID` is `S`, `resourceGroup` is `G`, `namespace` is `Microsoft.Network` and `typeSegments` is
/// `["virtualNetworks", "V", "subnets", "N"]`. An odd number of type segments ends in a collection (a list) or an
/// action (`beginGetAccess`), which the provider tells apart by method.
public struct ARMRequest: Sendable {
    /// The HTTP method.
    public var method: HTTPRequest.Method
    /// The URL path (percent-decoded), without the query.
    public var path: String
    /// The query parameters (first value of each name); look them up with ``query(_:)``.
    public var queryItems: [String: String]
    /// The `api-version` query parameter.
    public var apiVersion: String
    /// The request headers.
    public var headers: HTTPFields
    /// The JSON body, when one was sent.
    public var body: AzureJSON?
    /// The subscription ID from the path.
    public var subscriptionID: String
    /// The resource group name, when the path is resource-group scoped.
    public var resourceGroup: String?
    /// The provider namespace (after `/providers/`), when present.
    public var namespace: String?
    /// The path segments after the namespace.
    public var typeSegments: [String]
    /// The scheme and authority clients used (e.g. `https://127.0.0.1:8443`), for links such as `nextLink`.
    public var baseURL: String
    /// The local address the request arrived on.
    public var localAddress: ListenerAddress?

    /// The value of query parameter `name` (case-insensitive), or `nil`.
    public func query(_ name: String) -> String? {
        if let exact = queryItems[name] { return exact }
        let lowered = name.lowercased()
        return queryItems.first { $0.key.lowercased() == lowered }?.value
    }

    /// The resource group's ID, `/subscriptions/S/resourceGroups/G`, when resource-group scoped.
    public var resourceGroupID: String? {
        resourceGroup.map { "/subscriptions/\(subscriptionID)/resourceGroups/\($0)" }
    }

    /// The scope prefix `/subscriptions/S[/resourceGroups/G]`.
    public var scopeID: String {
        resourceGroupID ?? "/subscriptions/\(subscriptionID)"
    }

    /// The ID of the resource addressed by the first `count` type segments (an even number), e.g.
    /// `/subscriptions/S/resourceGroups/G/providers/NS/virtualNetworks/V` for `count` 2.
    public func resourceID(segments count: Int) -> String {
        let segments = typeSegments.prefix(count).joined(separator: "/")
        return "\(scopeID)/providers/\(namespace ?? "")/\(segments)"
    }

    /// The ID of the resource the path names (all type segments when even, all but the last otherwise).
    public var resourceID: String {
        resourceID(segments: typeSegments.count - typeSegments.count % 2)
    }

    /// The resource type of the addressed resource, e.g. `Microsoft.Network/virtualNetworks/subnets`.
    public var resourceType: String {
        let types = stride(from: 0, to: typeSegments.count, by: 2).map { typeSegments[$0] }
        return ([namespace ?? ""] + types).joined(separator: "/")
    }

    /// A link to this request's path with other query parameters, e.g. for `nextLink`.
    public func link(query: [(String, String)]) -> String {
        let encoded = ([("api-version", apiVersion)] + query).map { "\($0.0)=\(ARMRequest.percentEncode($0.1))" }
        return "\(baseURL)\(ARMRequest.percentEncodePath(path))?\(encoded.joined(separator: "&"))"
    }

    /// The region name normalised as ARM does (`West Europe` → `westeurope`).
    public static func normalizedLocation(_ location: String) -> String {
        location.lowercased().replacingOccurrences(of: " ", with: "")
    }

    static func percentEncode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    static func percentEncodePath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { percentEncode(String($0)) }
            .joined(separator: "/")
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
