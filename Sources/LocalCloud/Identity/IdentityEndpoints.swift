import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// The Entra-ID-shaped endpoints: OpenID discovery, instance discovery, JWKS and the v2.0 (and v1) token
/// endpoints for the client-credentials grant.
struct IdentityEndpoints: Sendable {
    let cloud: CloudServices

    /// Whether a path belongs to the identity endpoints: `/{tenant}/v2.0/...`, `/{tenant}/oauth2/...`,
    /// `/{tenant}/discovery/...` where the tenant is this tenant's ID, `common`, `organizations` or `consumers`.
    func matches(_ segments: [String]) -> Bool {
        guard segments.count >= 2 else { return false }
        let tenant = segments[0].lowercased()
        let known =
            tenant == cloud.identity.settings.tenantID.lowercased()
            || ["common", "organizations", "consumers"].contains(tenant) || tenant.count == 36
        return known && ["v2.0", "oauth2", "discovery", ".well-known"].contains(segments[1].lowercased())
    }

    func respond(to request: Request, parts: RequestParts, base: String) async -> Response {
        let segments = parts.segments.map { $0.lowercased() }
        let tenant = parts.segments[0]
        if segments.dropFirst().starts(with: ["v2.0", ".well-known", "openid-configuration"])
            || segments.dropFirst().starts(with: [".well-known", "openid-configuration"])
        {
            guard tenantKnown(tenant) else { return tenantNotFound(tenant) }
            return .json(.ok, discoveryDocument(tenant: cloud.identity.settings.tenantID, base: base))
        }
        if segments.dropFirst().starts(with: ["discovery", "instance"])
            || segments.dropFirst().starts(with: ["discovery", "v2.0", "instance"])
        {
            return .json(.ok, instanceDiscovery(base: base))
        }
        if segments.dropFirst().starts(with: ["discovery", "v2.0", "keys"])
            || segments.dropFirst().starts(with: ["discovery", "keys"])
        {
            return .json(.ok, cloud.identity.tokens.jwks)
        }
        if segments.dropFirst().starts(with: ["oauth2", "v2.0", "token"])
            || segments.dropFirst().starts(with: ["oauth2", "token"])
        {
            guard request.method == .post else {
                return oauthError(
                    .methodNotAllowed,
                    "invalid_request",
                    "AADSTS900561",
                    "The endpoint only accepts POST requests."
                )
            }
            guard tenantKnown(tenant) else { return tenantNotFound(tenant) }
            return await token(request, version1: segments.count == 3)
        }
        return oauthError(
            .notFound,
            "invalid_request",
            "AADSTS90002",
            "The endpoint '\(parts.rawPath)' does not exist."
        )
    }

    private func tenantKnown(_ tenant: String) -> Bool {
        tenant.lowercased() == cloud.identity.settings.tenantID.lowercased()
            || ["common", "organizations"].contains(tenant.lowercased())
    }

    private func tenantNotFound(_ tenant: String) -> Response {
        oauthError(
            .badRequest,
            "invalid_request",
            "AADSTS90002",
            "AADSTS90002: Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
        )
    }

    private func token(_ request: Request, version1: Bool) async -> Response {
        guard let buffer = try? await request.collectBody(limit: 64 * 1024) else {
            return oauthError(.badRequest, "invalid_request", "AADSTS900144", "The request body is too large.")
        }
        let form = RequestParts(
            path: "/",
            query: String(decoding: buffer.readableBytesView, as: UTF8.self).replacingOccurrences(of: "+", with: "%20")
        )
        var clientID = form.value("client_id")
        var clientSecret = form.value("client_secret")
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6))).map({
                String(decoding: $0, as: UTF8.self)
            }),
            let colon = decoded.firstIndex(of: ":")
        {
            clientID = RequestParts.percentDecode(String(decoded[..<colon]))
            clientSecret = RequestParts.percentDecode(String(decoded[decoded.index(after: colon)...]))
        }
        guard form.value("grant_type") == "client_credentials" else {
            return oauthError(
                .badRequest,
                "unsupported_grant_type",
                "AADSTS70003",
                "AADSTS70003: The app requested an unsupported grant type '\(form.value("grant_type") ?? "")'; LocalCloud supports client_credentials."
            )
        }
        let settings = cloud.identity.settings
        guard let clientID, clientID.lowercased() == settings.clientID.lowercased() else {
            return oauthError(
                .badRequest,
                "unauthorized_client",
                "AADSTS700016",
                "AADSTS700016: Application with identifier '\(clientID ?? "")' was not found in the directory '\(settings.tenantID)'."
            )
        }
        guard form.value("client_assertion") == nil else {
            return oauthError(
                .unauthorized,
                "invalid_client",
                "AADSTS700027",
                "AADSTS700027: Client assertions are not supported by LocalCloud; use the client secret."
            )
        }
        guard let clientSecret, SecretComparison.matches(clientSecret, settings.clientSecret) else {
            return oauthError(
                .unauthorized,
                "invalid_client",
                "AADSTS7000215",
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(settings.clientID)'."
            )
        }
        let audience: String
        if version1 {
            guard let resource = form.value("resource") else {
                return oauthError(
                    .badRequest,
                    "invalid_request",
                    "AADSTS900144",
                    "AADSTS900144: The request body must contain the following parameter: 'resource'."
                )
            }
            audience = resource
        } else {
            guard let scope = form.value("scope")?.split(separator: " ").first(where: { $0.hasSuffix("/.default") })
            else {
                return oauthError(
                    .badRequest,
                    "invalid_scope",
                    "AADSTS1002012",
                    "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
                )
            }
            audience = String(scope.dropLast(".default".count))
        }
        do {
            let issued = try cloud.identity.tokens.issue(
                clientID: settings.clientID,
                tenantID: settings.tenantID,
                audience: audience
            )
            var body: [String: AzureJSON] = ["token_type": "Bearer", "access_token": .string(issued.token)]
            if version1 {
                let expiresOn = Int(Date().timeIntervalSince1970) + issued.expiresIn
                body["expires_in"] = .string(String(issued.expiresIn))
                body["expires_on"] = .string(String(expiresOn))
                body["resource"] = .string(audience)
            } else {
                body["expires_in"] = .integer(Int64(issued.expiresIn))
                body["ext_expires_in"] = .integer(Int64(issued.expiresIn))
            }
            return .json(.ok, .object(body), headers: ["Cache-Control": "no-store, no-cache", "Pragma": "no-cache"])
        } catch {
            return oauthError(
                .internalServerError,
                "server_error",
                "AADSTS50000",
                "AADSTS50000: The token could not be signed."
            )
        }
    }

    private func oauthError(_ status: HTTPResponse.Status, _ error: String, _ code: String, _ description: String)
        -> Response
    {
        let numeric = Int(code.dropFirst(6)) ?? 0
        let formatter = ISO8601DateFormatter()
        return .json(
            status,
            [
                "error": .string(error), "error_description": .string(description),
                "error_codes": [.integer(Int64(numeric))],
                "timestamp": .string(formatter.string(from: Date())),
                "trace_id": .string(UUID().uuidString.lowercased()),
                "correlation_id": .string(UUID().uuidString.lowercased()),
            ]
        )
    }

    private func discoveryDocument(tenant: String, base: String) -> AzureJSON {
        let root = "\(base)/\(tenant)"
        return [
            "token_endpoint": .string("\(root)/oauth2/v2.0/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": .string("\(root)/discovery/v2.0/keys"),
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": .string("\(root)/v2.0"),
            "request_uri_parameter_supported": false,
            "userinfo_endpoint": .string("\(base)/oidc/userinfo"),
            "authorization_endpoint": .string("\(root)/oauth2/v2.0/authorize"),
            "device_authorization_endpoint": .string("\(root)/oauth2/v2.0/devicecode"),
            "http_logout_supported": true,
            "frontchannel_logout_supported": true,
            "end_session_endpoint": .string("\(root)/oauth2/v2.0/logout"),
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "tid", "ver"],
            "tenant_region_scope": "EU",
            "cloud_instance_name": "localcloud",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
        ]
    }

    private func instanceDiscovery(base: String) -> AzureJSON {
        let host = base.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
        return [
            "tenant_discovery_endpoint": .string(
                "\(base)/\(cloud.identity.settings.tenantID)/v2.0/.well-known/openid-configuration"
            ),
            "api-version": "1.1",
            "metadata": [
                ["preferred_network": .string(host), "preferred_cache": .string(host), "aliases": [.string(host)]]
            ],
        ]
    }
}
