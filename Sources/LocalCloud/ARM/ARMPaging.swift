import AzureKit

/// `nextLink` paging of ARM list responses: pages of at most ``CloudServices/listPageSize`` items, continued with
/// a `$skiptoken` query parameter.
public enum ARMPaging {
    /// The page of `items` that `request` asks for, as `{"value":[…],"nextLink":…}`.
    public static func page(_ items: [AzureJSON], request: ARMRequest, pageSize: Int) -> AzureJSON {
        let start = max(0, request.query("$skiptoken").flatMap(Int.init) ?? 0)
        let size = max(1, request.query("$top").flatMap(Int.init).map { min($0, pageSize) } ?? pageSize)
        let end = min(items.count, start + size)
        var body: [String: AzureJSON] = ["value": .array(start < end ? Array(items[start..<end]) : [])]
        if end < items.count {
            var query: [(String, String)] = [("$skiptoken", String(end))]
            if let top = request.query("$top") { query.append(("$top", top)) }
            body["nextLink"] = .string(request.link(query: query))
        }
        return .object(body)
    }
}
