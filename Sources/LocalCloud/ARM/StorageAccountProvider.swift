import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// `Microsoft.Storage/storageAccounts`: create (a long-running operation polled through `Location`), get,
/// update (PATCH), list keys, regenerate a key, delete, list, and `checkNameAvailability`.
struct StorageAccountProvider: ARMResourceProvider {
    let namespace = "Microsoft.Storage"
    let resourceTypes = ["storageAccounts", "checkNameAvailability"]
    static let type = "Microsoft.Storage/storageAccounts"

    func handle(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let segments = request.typeSegments
        if segments[0].lowercased() == "checknameavailability" {
            guard request.method == .post else {
                throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
            }
            return checkName(request.body?["name"]?.stringValue ?? "", cloud: cloud)
        }
        if segments.count == 1 {
            guard request.method == .get else {
                throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
            }
            let prefix = request.scopeID + "/"
            let accounts = cloud.resources.list(prefix: prefix).filter {
                $0.body["type"]?.stringValue == Self.type
            }
            return .ok(ARMPaging.page(accounts.map(\.body), request: request, pageSize: cloud.listPageSize))
        }
        guard request.resourceGroup != nil else {
            throw ARMError(.notFound, "NotFound", "Storage accounts are addressed inside a resource group.")
        }
        let name = segments[1]
        let id = request.resourceID(segments: 2)
        if segments.count == 3 {
            guard request.method == .post else {
                throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
            }
            switch segments[2].lowercased() {
            case "listkeys": return try listKeys(id: id, name: name, request: request, cloud: cloud)
            case "regeneratekey": return try await regenerateKey(id: id, name: name, request: request, cloud: cloud)
            default:
                throw ARMError(.notFound, "NotFound", "The storage account action '\(segments[2])' is not supported.")
            }
        }
        guard segments.count == 2 else {
            throw ARMError(
                .notFound,
                "NotFound",
                "Child resources of storage accounts are not emulated ('\(request.path)')."
            )
        }
        switch request.method {
        case .get:
            guard let account = cloud.resources.get(id) else { throw notFound(name, request) }
            return .ok(account.body)
        case .put:
            return try await create(request, id: id, name: name, cloud: cloud)
        case .patch:
            return try await update(request, id: id, name: name, cloud: cloud)
        case .delete:
            guard let account = cloud.resources.get(id) else { return .noContent }
            try await deleteForResourceGroup(account, cloud: cloud)
            return ARMResponse(status: .ok)
        default:
            throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
        }
    }

    /// Opens the blob and queue stores of every account (on ``FileIO``), so that no request loads them.
    func restore(cloud: CloudServices) async throws {
        let names = ProviderSupport.allResources(ofType: Self.type, cloud: cloud).compactMap {
            $0.body["name"]?.stringValue
        }
        try await Self.openStores(of: names, cloud: cloud)
    }

    /// Opens (loads from disk) the blob and queue stores of the accounts `names` on ``FileIO``; the data plane then
    /// finds them open.
    private static func openStores(of names: [String], cloud: CloudServices) async throws {
        let storage = cloud.storage
        try await FileIO.run {
            for name in names {
                _ = try storage.blobStore(name)
                _ = try storage.queueStore(name)
            }
        }
    }

    func deleteForResourceGroup(_ resource: StoredResource, cloud: CloudServices) async throws {
        try await cloud.resources.delete(resource.id)
        let storage = cloud.storage
        let name = resource.body["name"]?.stringValue ?? ""
        try await FileIO.run { try storage.deleteData(account: name) }
    }

    private func notFound(_ name: String, _ request: ARMRequest) -> ARMError {
        ARMError.resourceNotFound(type: Self.type, name: name, resourceGroup: request.resourceGroup)
    }

    private func checkName(_ name: String, cloud: CloudServices) -> ARMResponse {
        guard StorageService.isAccountName(name) else {
            return .ok([
                "nameAvailable": false, "reason": "AccountNameInvalid",
                "message": .string(
                    "\(name) is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only."
                ),
            ])
        }
        if cloud.storageAccount(named: name) != nil {
            return .ok([
                "nameAvailable": false, "reason": "AlreadyExists",
                "message": .string("The storage account named \(name) is already taken."),
            ])
        }
        return .ok(["nameAvailable": true])
    }

    private func create(_ request: ARMRequest, id: String, name: String, cloud: CloudServices) async throws
        -> ARMResponse
    {
        guard StorageService.isAccountName(name) else {
            throw ARMError(
                .badRequest,
                "AccountNameInvalid",
                "\(name) is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only."
            )
        }
        guard let body = request.body, case .object = body else {
            throw ARMError.invalidRequestContent("The request content was invalid and could not be deserialized.")
        }
        guard let skuName = body["sku"]?["name"]?.stringValue else {
            throw ARMError(.badRequest, "MissingRequiredProperty", "The 'sku' property is required.", target: "sku")
        }
        guard let location = body["location"]?.stringValue else {
            throw ARMError(.badRequest, "LocationRequired", "The location property is required for this definition.")
        }
        let region = try cloud.region(location)
        let tags = try ARMValidation.tags(body["tags"], maximumNameLength: 128) ?? .emptyObject
        if let existing = cloud.resources.get(id) {
            // An existing account: PUT updates tags and properties synchronously.
            let updated = try await cloud.resources.update(id) { resource in
                resource.body["tags"] = tags
                resource.body["sku"] = Self.sku(skuName)
                if let kind = body["kind"] { resource.body["kind"] = kind }
                Self.merge(properties: body["properties"], into: &resource.body)
            }
            _ = existing
            return .ok(updated?.body ?? .null)
        }
        if let taken = cloud.storageAccount(named: name), taken.resourceID.lowercased() != id.lowercased() {
            throw ARMError(
                .conflict,
                "StorageAccountAlreadyTaken",
                "The storage account named \(name) is already taken."
            )
        }
        let properties = body["properties"] ?? .emptyObject
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var resourceProperties: AzureJSON = [
            "provisioningState": "Creating",
            "creationTime": .string(formatter.string(from: Date())),
            "primaryLocation": .string(region),
            "statusOfPrimary": "available",
            "primaryEndpoints": [
                "blob": .string(cloud.blobEndpoint(account: name)),
                "queue": .string(cloud.queueEndpoint(account: name)),
            ],
            "publicNetworkAccess": properties["publicNetworkAccess"] ?? "Enabled",
            "allowBlobPublicAccess": properties["allowBlobPublicAccess"] ?? false,
            "allowSharedKeyAccess": properties["allowSharedKeyAccess"] ?? true,
            "minimumTlsVersion": properties["minimumTlsVersion"] ?? "TLS1_2",
            "supportsHttpsTrafficOnly": properties["supportsHttpsTrafficOnly"] ?? true,
            "accessTier": properties["accessTier"] ?? "Hot",
            "networkAcls": properties["networkAcls"]
                ?? ["bypass": "AzureServices", "defaultAction": "Allow", "ipRules": [], "virtualNetworkRules": []],
            "encryption": properties["encryption"]
                ?? [
                    "keySource": "Microsoft.Storage",
                    "services": [
                        "blob": ["enabled": true, "keyType": "Account"],
                        "file": ["enabled": true, "keyType": "Account"],
                    ],
                ],
            "privateEndpointConnections": [],
        ]
        if let immutable = properties["immutableStorageWithVersioning"] {
            resourceProperties["immutableStorageWithVersioning"] = immutable
        }
        let account: AzureJSON = [
            "id": .string(id), "name": .string(name), "type": .string(Self.type), "location": .string(region),
            "tags": tags, "kind": body["kind"] ?? "StorageV2", "sku": Self.sku(skuName),
            "properties": resourceProperties,
        ]
        let now = formatter.string(from: Date())
        let keys: AzureJSON = .array(
            ["key1", "key2"].map {
                ["keyName": .string($0), "value": .string(Self.newKey()), "creationTime": .string(now)]
            }
        )
        try await cloud.resources.put(StoredResource(id: id, body: account, hidden: ["keys": keys]))
        try await Self.openStores(of: [name], cloud: cloud)
        let operation = try await cloud.operations.begin(
            request,
            location: region,
            faultOperation: "PUT storageAccounts",
            resume: OperationResume(kind: Self.createKind, parameters: ["id": .string(id)]),
            onFailure: { _ in await Self.markFailed(id, cloud: cloud) },
            work: { try await Self.finishCreation(id, cloud: cloud) }
        )
        return cloud.operations.accepted(operation, request: request, headers: .location)
    }

    /// The resume kind of account creation.
    static let createKind = "Microsoft.Storage/storageAccounts/create"

    /// Lets account creations interrupted by a restart finish after it.
    static func registerResumers(in cloud: CloudServices) {
        cloud.operations.registerResumer(
            createKind,
            OperationResumer(
                work: { parameters in try await finishCreation(parameters["id"]?.stringValue ?? "", cloud: cloud) },
                onFailure: { parameters, _ in await markFailed(parameters["id"]?.stringValue ?? "", cloud: cloud) }
            )
        )
    }

    /// Ends an account's creation: `provisioningState` becomes `Succeeded`; the result is the account.
    private static func finishCreation(_ id: String, cloud: CloudServices) async throws -> AzureJSON? {
        guard
            let finished = try await cloud.resources.update(
                id,
                { $0.body["properties"]?["provisioningState"] = "Succeeded" }
            )
        else {
            throw ARMError.resourceNotFound(type: type, name: ResourceIDs.name(id), resourceGroup: nil)
        }
        return finished.body
    }

    private static func markFailed(_ id: String, cloud: CloudServices) async {
        _ = try? await cloud.resources.update(id) { $0.body["properties"]?["provisioningState"] = "Failed" }
    }

    private func update(_ request: ARMRequest, id: String, name: String, cloud: CloudServices) async throws
        -> ARMResponse
    {
        guard cloud.resources.get(id) != nil else { throw notFound(name, request) }
        let body = request.body ?? .emptyObject
        let tags = try ARMValidation.tags(body["tags"], maximumNameLength: 128)
        let updated = try await cloud.resources.update(id) { resource in
            if let tags { resource.body["tags"] = tags }
            if let skuName = body["sku"]?["name"]?.stringValue { resource.body["sku"] = Self.sku(skuName) }
            if let kind = body["kind"] { resource.body["kind"] = kind }
            Self.merge(properties: body["properties"], into: &resource.body)
        }
        return .ok(updated?.body ?? .null)
    }

    private func listKeys(id: String, name: String, request: ARMRequest, cloud: CloudServices) throws -> ARMResponse {
        guard let account = cloud.resources.get(id) else { throw notFound(name, request) }
        let keys = account.hidden["keys"]?.arrayValue ?? []
        return .ok([
            "keys": .array(
                keys.map { key in
                    [
                        "keyName": key["keyName"] ?? .null, "value": key["value"] ?? .null, "permissions": "FULL",
                        "creationTime": key["creationTime"] ?? .null,
                    ]
                }
            )
        ])
    }

    private func regenerateKey(id: String, name: String, request: ARMRequest, cloud: CloudServices) async throws
        -> ARMResponse
    {
        guard cloud.resources.get(id) != nil else { throw notFound(name, request) }
        guard let keyName = request.body?["keyName"]?.stringValue, ["key1", "key2"].contains(keyName.lowercased())
        else {
            throw ARMError.invalidParameter("keyName", "The keyName must be key1 or key2.")
        }
        let formatter = ISO8601DateFormatter()
        try await cloud.resources.update(id) { resource in
            let keys = (resource.hidden["keys"]?.arrayValue ?? []).map { key -> AzureJSON in
                guard key["keyName"]?.stringValue?.lowercased() == keyName.lowercased() else { return key }
                return [
                    "keyName": key["keyName"] ?? .null, "value": .string(Self.newKey()),
                    "creationTime": .string(formatter.string(from: Date())),
                ]
            }
            resource.hidden["keys"] = .array(keys)
        }
        return try listKeys(id: id, name: name, request: request, cloud: cloud)
    }

    private static func merge(properties: AzureJSON?, into body: inout AzureJSON) {
        guard let properties = properties?.objectValue else { return }
        let mutable = [
            "publicNetworkAccess", "allowBlobPublicAccess", "allowSharedKeyAccess", "minimumTlsVersion",
            "supportsHttpsTrafficOnly", "accessTier", "networkAcls", "encryption", "immutableStorageWithVersioning",
        ]
        for key in mutable {
            if let value = properties[key] { body["properties"]?[key] = value }
        }
    }

    private static func sku(_ name: String) -> AzureJSON {
        ["name": .string(name), "tier": .string(name.lowercased().hasPrefix("premium") ? "Premium" : "Standard")]
    }

    private static func newKey() -> String {
        var bytes = [UInt8](repeating: 0, count: 64)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString()
    }
}
