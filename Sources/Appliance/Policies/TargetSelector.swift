/// One rule that picks VMs for a policy: a VM, a resource group, a subscription, or a tag.
///
/// IDs and tag names compare case-insensitively, as ARM treats them; tag values compare exactly. In JSON:
/// `{"kind":"vm","id":"/subscriptions/…/virtualMachines/web-01"}`, `{"kind":"resourceGroup","id":
/// "/subscriptions/S/resourceGroups/G"}`, `{"kind":"subscription","id":"S"}`, and `{"kind":"tag","name":"env",
/// "value":"prod"}` (without `value`, any value of the tag matches).
public struct TargetSelector: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What a selector matches on.
    public enum Kind: String, Sendable, Hashable, Codable {
        case vm, resourceGroup, subscription, tag
    }

    /// What the selector matches on.
    public var kind: Kind
    /// The resource ID (VM, resource group) or subscription ID; unused for tags.
    public var id: String?
    /// The tag's name (tags only).
    public var name: String?
    /// The tag's value (tags only; `nil` matches any value).
    public var value: String?

    /// A selector of one VM.
    public static func vm(_ id: String) -> TargetSelector { TargetSelector(kind: .vm, id: id) }
    /// A selector of every VM of a resource group, given as `/subscriptions/S/resourceGroups/G`.
    public static func resourceGroup(_ id: String) -> TargetSelector { TargetSelector(kind: .resourceGroup, id: id) }
    /// A selector of every VM of a subscription.
    public static func subscription(_ id: String) -> TargetSelector { TargetSelector(kind: .subscription, id: id) }
    /// A selector of every VM carrying tag `name` (with `value`, when given).
    public static func tag(_ name: String, value: String? = nil) -> TargetSelector {
        TargetSelector(kind: .tag, name: name, value: value)
    }

    /// A selector; ``validate()`` checks that the fields fit the kind.
    public init(kind: Kind, id: String? = nil, name: String? = nil, value: String? = nil) {
        self.kind = kind
        self.id = id
        self.name = name
        self.value = value
    }

    /// Checks that the fields the kind needs are there and well formed.
    public func validate() throws(ApplianceError) {
        switch kind {
        case .vm:
            guard let id, (try? ApplianceIdentity(vmResourceID: id)) != nil else {
                throw .invalidInput("a vm target needs \"id\": the VM's resource ID (got \(id ?? "nothing"))")
            }
        case .resourceGroup:
            let parts = (id ?? "").split(separator: "/").map { $0.lowercased() }
            guard parts.count == 4, parts[0] == "subscriptions", parts[2] == "resourcegroups" else {
                throw .invalidInput(
                    "a resourceGroup target needs \"id\": /subscriptions/SUB/resourceGroups/GROUP (got \(id ?? "nothing"))"
                )
            }
        case .subscription:
            guard let id, !id.isEmpty, !id.contains("/") else {
                throw .invalidInput("a subscription target needs \"id\": the subscription ID (got \(id ?? "nothing"))")
            }
        case .tag:
            guard let name, !name.isEmpty else { throw .invalidInput("a tag target needs \"name\": the tag's name") }
        }
    }

    /// Whether the selector picks `subject`.
    public func matches(_ subject: PolicySubject) -> Bool {
        switch kind {
        case .vm:
            return id?.lowercased() == subject.resourceID.lowercased()
        case .resourceGroup:
            return id?.lowercased() == subject.resourceGroupID
        case .subscription:
            return id?.lowercased() == subject.subscriptionID
        case .tag:
            guard let name = name?.lowercased() else { return false }
            return subject.tags.contains { key, tagValue in
                key.lowercased() == name && (value == nil || value == tagValue)
            }
        }
    }

    public var description: String {
        switch kind {
        case .vm, .resourceGroup, .subscription: "\(kind.rawValue) \(id ?? "?")"
        case .tag: value.map { "tag \(name ?? "?")=\($0)" } ?? "tag \(name ?? "?")"
        }
    }
}
