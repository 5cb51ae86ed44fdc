import AzureKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The ARM front end: authenticates the bearer token, checks `api-version`, serves subscriptions, resource
/// groups and operation polls itself, and hands everything under `/providers/NS/TYPE` to the registered
/// ``ARMResourceProvider``.
struct ARMFrontEnd: Sendable {
    let cloud: CloudServices

    func respond(to request: Request, parts: RequestParts, context: CloudRequestContext) async -> Response {
        do {
            let response = try await handle(request, parts: parts, context: context)
            return Self.render(response, method: request.method)
        } catch let error as ARMError {
            return Self.render(
                ARMResponse(status: error.status, headers: error.headers, body: error.body),
                method: request.method
            )
        } catch is BodyTooLarge {
            return Self.render(
                ARMResponse(
                    status: .contentTooLarge,
                    body: ARMError(.contentTooLarge, "RequestEntityTooLarge", "The request body is too large.").body
                ),
                method: request.method
            )
        } catch {
            context.logger.debug("ARM request failed", metadata: ["error": "\(error)"])
            let failure = ARMError(
                .internalServerError,
                "InternalServerError",
                "LocalCloud failed to handle the request: \(error)"
            )
            return Self.render(ARMResponse(status: failure.status, body: failure.body), method: request.method)
        }
    }

    private func handle(_ request: Request, parts: RequestParts, context: CloudRequestContext) async throws
        -> ARMResponse
    {
        try authenticate(request)
        let segments = parts.segments
        let apiVersion = try Self.apiVersion(parts)
        let host = request.head.authority ?? "127.0.0.1"
        let scheme = context.localAddress.map { cloud.listeners.isTLS($0) } ?? true ? "https" : "http"
        var body: AzureJSON?
        if [.put, .patch, .post].contains(request.method) {
            let buffer = try await request.collectBody(limit: 4 * 1024 * 1024)
            if buffer.readableBytes > 0 {
                do { body = try AzureJSON(parsing: Data(buffer.readableBytesView)) } catch {
                    throw ARMError.invalidRequestContent(
                        "The request content was invalid and could not be deserialized."
                    )
                }
            }
        }
        if segments.first?.lowercased() == "tenants" {
            let tenants: [AzureJSON] = [
                [
                    "id": .string("/tenants/\(cloud.identity.settings.tenantID)"),
                    "tenantId": .string(cloud.identity.settings.tenantID), "tenantCategory": "Home",
                    "displayName": "LocalCloud",
                ]
            ]
            return .ok(["value": .array(tenants)])
        }
        guard segments.first?.lowercased() == "subscriptions" else {
            throw ARMError(.notFound, "NotFound", "No ARM route matches '\(parts.rawPath)'.")
        }
        guard segments.count >= 2 else {
            return .ok(["value": .array(cloud.identity.settings.subscriptionIDs.map(subscriptionBody))])
        }
        let subscriptionID = segments[1]
        guard
            cloud.identity.settings.subscriptionIDs.contains(where: { $0.lowercased() == subscriptionID.lowercased() })
        else {
            throw ARMError(
                .notFound,
                "SubscriptionNotFound",
                "The subscription '\(subscriptionID)' could not be found."
            )
        }
        var armRequest = ARMRequest(
            method: request.method,
            path: "/" + segments.joined(separator: "/"),
            queryItems: parts.firstValues,
            apiVersion: apiVersion,
            headers: request.headers,
            body: body,
            subscriptionID: subscriptionID,
            resourceGroup: nil,
            namespace: nil,
            typeSegments: [],
            baseURL: "\(scheme)://\(host)",
            localAddress: context.localAddress
        )
        var rest = Array(segments.dropFirst(2))
        if rest.isEmpty {
            return .ok(subscriptionBody(subscriptionID))
        }
        if rest.first?.lowercased() == "locations", rest.count == 1 {
            return .ok(["value": .array(cloud.regions.map { locationBody($0, subscription: subscriptionID) })])
        }
        if rest.first?.lowercased() == "resources", rest.count == 1 {
            return .ok(
                ARMPaging.page(
                    listResources(prefix: "/subscriptions/\(subscriptionID)/"),
                    request: armRequest,
                    pageSize: cloud.listPageSize
                )
            )
        }
        if rest.first?.lowercased() == "resourcegroups" {
            guard rest.count > 2 else {
                return try await ResourceGroups().handle(
                    armRequest,
                    name: rest.count == 2 ? rest[1] : nil,
                    cloud: cloud
                )
            }
            let groupName = rest[1]
            let groupID = "/subscriptions/\(subscriptionID)/resourceGroups/\(groupName)"
            guard let group = cloud.resources.get(groupID) else { throw ARMError.resourceGroupNotFound(groupName) }
            armRequest.resourceGroup = group.body["name"]?.stringValue ?? groupName
            rest = Array(rest.dropFirst(2))
            if rest.first?.lowercased() == "resources", rest.count == 1 {
                return .ok(
                    ARMPaging.page(
                        listResources(prefix: groupID + "/providers/"),
                        request: armRequest,
                        pageSize: cloud.listPageSize
                    )
                )
            }
        }
        guard rest.first?.lowercased() == "providers", rest.count >= 2 else {
            throw ARMError(.notFound, "NotFound", "No ARM route matches '\(parts.rawPath)'.")
        }
        let namespace = rest[1]
        armRequest.namespace = namespace
        armRequest.typeSegments = Array(rest.dropFirst(2))
        if armRequest.resourceGroup == nil, let poll = pollOperation(armRequest) { return poll }
        if armRequest.typeSegments.isEmpty {
            return .ok(providerBody(namespace, subscription: subscriptionID))
        }
        guard let provider = cloud.arm.provider(namespace: namespace, type: armRequest.typeSegments[0]) else {
            throw ARMError(
                .badRequest,
                "InvalidResourceType",
                "The resource type '\(armRequest.typeSegments[0])' could not be found in the namespace '\(namespace)' for api version '\(apiVersion)'."
            )
        }
        let faultOperation =
            "\(request.method.rawValue) \(armRequest.typeSegments.count > 2 ? armRequest.typeSegments.last ?? "" : armRequest.typeSegments[0])"
        if let action = await cloud.faults.action(
            service: "arm",
            account: namespace,
            operation: faultOperation,
            method: request.method.rawValue,
            path: armRequest.path
        ) {
            switch action {
            case .throttle(let status, let code, let retryAfter):
                throw ARMError(
                    HTTPResponse.Status(code: status),
                    code,
                    "The request is being throttled (injected fault).",
                    headers: ["Retry-After": String(retryAfter)]
                )
            case .delay(let milliseconds):
                try await Task.sleep(for: .milliseconds(milliseconds))
            case .drop:
                context.dropConnection()
                throw ARMError(.serviceUnavailable, "ConnectionDropped", "The connection was dropped (injected fault).")
            case .loseResponse, .slowWrite:
                break  // a storage-only fault: never chosen for ARM requests
            }
        }
        return try await provider.handle(armRequest, cloud: cloud)
    }

    private func authenticate(_ request: Request) throws {
        let challenge =
            "Bearer authorization_uri=\"\(cloud.authorityBase)/\(cloud.identity.settings.tenantID)\", error=\"invalid_token\", error_description=\"The authentication failed because of missing 'Authorization' header.\""
        guard let header = request.headers[.authorization] else {
            throw ARMError(
                .unauthorized,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
                headers: ["WWW-Authenticate": challenge]
            )
        }
        guard header.lowercased().hasPrefix("bearer ") else {
            throw ARMError(
                .unauthorized,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is provided in an invalid format.",
                headers: ["WWW-Authenticate": challenge]
            )
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        switch cloud.identity.tokens.verify(token, audiences: cloud.resourceManagerAudiences) {
        case .success:
            return
        case .failure(.expired(let expiry)):
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "MM/dd/yyyy HH:mm:ss"
            throw ARMError(
                .unauthorized,
                "ExpiredAuthenticationToken",
                "The access token expiry UTC time '\(formatter.string(from: expiry))' is earlier than current UTC time '\(formatter.string(from: Date()))'.",
                headers: ["WWW-Authenticate": challenge]
            )
        case .failure(.wrongAudience(let audience)):
            throw ARMError(
                .unauthorized,
                "InvalidAuthenticationTokenAudience",
                "The access token has been obtained for wrong audience or resource '\(audience)'. It should exactly match with one of the allowed audiences '\(cloud.resourceManagerAudiences.sorted().joined(separator: "','"))'.",
                headers: ["WWW-Authenticate": challenge]
            )
        case .failure(.invalid):
            throw ARMError(
                .unauthorized,
                "InvalidAuthenticationToken",
                "The access token is invalid.",
                headers: ["WWW-Authenticate": challenge]
            )
        }
    }

    static func apiVersion(_ parts: RequestParts) throws -> String {
        guard let version = parts.value("api-version") else {
            throw ARMError(
                .badRequest,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests."
            )
        }
        let pattern = /^\d{4}-\d{2}-\d{2}(-[A-Za-z0-9.]+)?$/
        guard version.wholeMatch(of: pattern) != nil else {
            throw ARMError(
                .badRequest,
                "InvalidApiVersionParameter",
                "The api-version '\(version)' is invalid. The supported versions are in the form 'yyyy-mm-dd' or 'yyyy-mm-dd-preview'."
            )
        }
        return version
    }

    private func pollOperation(_ request: ARMRequest) -> ARMResponse? {
        let types = request.typeSegments
        guard request.method == .get, types.count == 4, types[0].lowercased() == "locations" else { return nil }
        let kind = types[2].lowercased()
        // Only operation polls; other location-scoped paths (e.g. `publishers/P`) belong to the providers.
        guard kind.contains("operation") else { return nil }
        let wantsResult = kind.contains("result") || request.query("monitor") == "true"
        return cloud.operations.poll(types[3], wantsResult: wantsResult)
            ?? ARMResponse(
                status: .notFound,
                body: ARMError(.notFound, "OperationNotFound", "The operation '\(types[3])' could not be found.").body
            )
    }

    private func listResources(prefix: String) -> [AzureJSON] {
        cloud.resources.list(prefix: prefix).filter { resource in
            let type = resource.body["type"]?.stringValue ?? ""
            return type.split(separator: "/").count == 2 && type.lowercased() != ResourceGroups.type.lowercased()
        }.map(\.body)
    }

    private func subscriptionBody(_ id: String) -> AzureJSON {
        [
            "id": .string("/subscriptions/\(id)"), "subscriptionId": .string(id),
            "tenantId": .string(cloud.identity.settings.tenantID),
            "displayName": .string("LocalCloud \(id.prefix(8))"), "state": "Enabled",
            "subscriptionPolicies": [
                "locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off",
            ],
        ]
    }

    private func locationBody(_ name: String, subscription: String) -> AzureJSON {
        [
            "id": .string("/subscriptions/\(subscription)/locations/\(name)"), "name": .string(name),
            "displayName": .string(CloudServices.displayName(ofRegion: name)),
            "regionalDisplayName": .string(CloudServices.displayName(ofRegion: name)),
            "type": "Region",
        ]
    }

    private func providerBody(_ namespace: String, subscription: String) -> AzureJSON {
        let types = cloud.arm.registered.filter { $0.namespace.lowercased() == namespace.lowercased() }
            .flatMap(\.resourceTypes)
        return [
            "id": .string("/subscriptions/\(subscription)/providers/\(namespace)"), "namespace": .string(namespace),
            "registrationState": "Registered", "registrationPolicy": "RegistrationRequired",
            "resourceTypes": .array(
                types.map {
                    [
                        "resourceType": .string($0),
                        "locations": .array(cloud.regions.map { .string(CloudServices.displayName(ofRegion: $0)) }),
                    ]
                }
            ),
        ]
    }

    static func render(_ response: ARMResponse, method: HTTPRequest.Method) -> Response {
        var headers = response.headers
        headers["x-ms-request-id"] = headers["x-ms-request-id"] ?? UUID().uuidString.lowercased()
        headers["x-ms-correlation-request-id"] =
            headers["x-ms-correlation-request-id"] ?? UUID().uuidString.lowercased()
        if let body = response.body, method != .head {
            return Response.json(response.status, body, headers: headers)
        }
        var fields = HTTPFields()
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        fields[.contentLength] = "0"
        return Response(status: response.status, headers: fields)
    }
}
