import Crypto
import Foundation
import Hummingbird

/// Verifies Shared Key signatures and shared access signatures (service and account SAS) of Blob and Queue
/// requests, as Azure does, with Azure's 403 error codes.
struct StorageAuthenticator: Sendable {
    /// What an authorised request may do.
    enum Grant: Sendable {
        /// Shared Key: everything.
        case sharedKey
        /// An Entra ID bearer token: everything (LocalCloud has no RBAC).
        case token
        /// A SAS with these permissions (already checked against the operation).
        case sas(permissions: String)
    }

    let request: StorageRequest
    /// The token issuer that verifies bearer tokens (`nil`: bearer tokens are refused).
    var tokens: TokenIssuer?
    var now: Date = Date()

    /// Authorises the request or throws the ``StorageError`` Azure would answer.
    ///
    /// - Parameter permission: The SAS permission letters any one of which allows the operation (e.g. `"r"`).
    /// - Parameter level: The account-SAS resource type the operation needs (`s`, `c` or `o`).
    func authorize(permission: String, level: Character) throws -> Grant {
        if request.query("sig") != nil {
            return try verifySAS(permission: permission, level: level)
        }
        if let authorization = request.header("authorization"), authorization.lowercased().hasPrefix("bearer ") {
            try verifyBearer(String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
            return .token
        }
        if let authorization = request.header("authorization") {
            guard request.account.allowSharedKeyAccess else {
                throw StorageError(
                    .forbidden,
                    "KeyBasedAuthenticationNotPermitted",
                    "Key based authentication is not permitted on this storage account."
                )
            }
            try verifySharedKey(authorization)
            return .sharedKey
        }
        throw StorageError(
            .unauthorized,
            "NoAuthenticationInformation",
            "Server failed to authenticate the request. Please refer to the information in the www-authenticate header."
        )
    }

    // MARK: Entra ID bearer tokens

    /// Accepts a LocalCloud token for the storage audience (there is no RBAC: the one client may do everything).
    private func verifyBearer(_ token: String) throws {
        guard let tokens else {
            throw StorageError.authenticationFailed("Bearer tokens cannot be verified here.")
        }
        let version = request.header("x-ms-version") ?? ""
        guard version >= "2017-11-09" else {
            throw StorageError(
                .badRequest,
                "InvalidAuthenticationInfo",
                "Authentication information is not given in the correct format. Check the value of Authorization header.",
                details: [("AuthenticationErrorDetail", "Bearer tokens need x-ms-version 2017-11-09 or later.")]
            )
        }
        let audiences: Set<String> = [
            "https://storage.azure.com/", "https://\(request.account.name).blob.core.windows.net/",
            "https://\(request.account.name).queue.core.windows.net/",
        ]
        switch tokens.verify(token, audiences: audiences, now: now) {
        case .success:
            return
        case .failure(.expired):
            throw StorageError(
                .unauthorized,
                "InvalidAuthenticationInfo",
                "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
                details: [("AuthenticationErrorDetail", "Lifetime validation failed. The token is expired.")]
            )
        case .failure(.wrongAudience(let audience)):
            throw StorageError(
                .unauthorized,
                "InvalidAuthenticationInfo",
                "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
                details: [
                    ("AuthenticationErrorDetail", "Audience validation failed. Audience did not match: \(audience).")
                ]
            )
        case .failure(.invalid):
            throw StorageError(
                .unauthorized,
                "InvalidAuthenticationInfo",
                "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
                details: [("AuthenticationErrorDetail", "Signature validation failed.")]
            )
        }
    }

    // MARK: Shared Key

    private func verifySharedKey(_ header: String) throws {
        guard header.hasPrefix("SharedKey ") else {
            throw StorageError.authenticationFailed(
                "The Authorization header must use the SharedKey scheme (or use a SAS)."
            )
        }
        let credential = header.dropFirst("SharedKey ".count)
        guard let colon = credential.firstIndex(of: ":") else {
            throw StorageError.authenticationFailed("The Authorization header is not 'SharedKey account:signature'.")
        }
        let signature = String(credential[credential.index(after: colon)...])
        let dateText = request.header("x-ms-date") ?? request.header("date")
        guard let dateText, let date = HTTPDate.parseRFC1123(dateText) else {
            throw StorageError.authenticationFailed("The x-ms-date header is missing or not an RFC 1123 date.")
        }
        if abs(date.timeIntervalSince(now)) > 15 * 60 {
            throw StorageError.authenticationFailed(
                "Request date header too old: '\(dateText)'. The request time must be within 15 minutes of the server time."
            )
        }
        let candidates = SharedKeyStringToSign(request: request).candidates
        for key in request.account.keys {
            guard let keyBytes = Data(base64Encoded: key) else { continue }
            for candidate in candidates where SecretComparison.matches(signature, Self.hmac(key: keyBytes, candidate)) {
                return
            }
        }
        let shown = (candidates.first ?? "").replacingOccurrences(of: "\n", with: "\\n")
        throw StorageError.authenticationFailed(
            "The MAC signature found in the HTTP request '\(signature.prefix(4))…' is not the same as any computed signature. Server used following string to sign: '\(shown)'."
        )
    }

    // MARK: SAS

    private func verifySAS(permission: String, level: Character) throws -> Grant {
        guard request.account.allowSharedKeyAccess else {
            throw StorageError(
                .forbidden,
                "KeyBasedAuthenticationNotPermitted",
                "Key based authentication is not permitted on this storage account."
            )
        }
        let q = { (name: String) in request.query(name) ?? "" }
        let version = q("sv")
        guard !version.isEmpty else { throw StorageError.authenticationFailed("sv is mandatory. Cannot be empty") }
        guard q("skoid").isEmpty else {
            throw StorageError.authenticationFailed("User delegation SAS tokens are not supported by LocalCloud.")
        }
        let signature = q("sig")
        let isAccountSAS = request.query("ss") != nil || request.query("srt") != nil
        let stringsToSign: [String]
        if isAccountSAS {
            var fields = [
                request.account.name, q("sp"), q("ss"), q("srt"), q("st"), q("se"), q("sip"), q("spr"), q("sv"),
            ]
            if version >= "2020-12-06" { fields.append(q("ses")) }
            stringsToSign = [fields.joined(separator: "\n") + "\n"]
        } else if request.service == "queue" {
            let resource = "/queue/\(request.account.name)/\(request.container ?? "")"
            stringsToSign = [
                [q("sp"), q("st"), q("se"), resource, q("si"), q("sip"), q("spr"), q("sv")].joined(separator: "\n")
            ]
        } else {
            let resourceType = q("sr")
            var resource = "/blob/\(request.account.name)/\(request.container ?? "")"
            if resourceType.hasPrefix("b"), let blob = request.blobName { resource += "/\(blob)" }
            let head = [q("sp"), q("st"), q("se"), resource, q("si"), q("sip"), q("spr"), q("sv")]
            let tail = [q("rscc"), q("rscd"), q("rsce"), q("rscl"), q("rsct")]
            let snapshotTime = resourceType == "bs" ? (request.query("snapshot") ?? "") : ""
            if version >= "2020-12-06" {
                stringsToSign = [(head + [resourceType, snapshotTime, q("ses")] + tail).joined(separator: "\n")]
            } else if version >= "2018-11-09" {
                stringsToSign = [(head + [resourceType, snapshotTime] + tail).joined(separator: "\n")]
            } else {
                stringsToSign = [(head + tail).joined(separator: "\n")]
            }
        }
        let valid = request.account.keys.contains { key in
            guard let keyBytes = Data(base64Encoded: key) else { return false }
            return stringsToSign.contains { SecretComparison.matches(signature, Self.hmac(key: keyBytes, $0)) }
        }
        guard valid else {
            let shown = (stringsToSign.first ?? "").replacingOccurrences(of: "\n", with: "\\n")
            throw StorageError.authenticationFailed(
                "Signature did not match. String to sign used was \(shown)"
            )
        }
        try checkTimes(start: request.query("st"), expiry: request.query("se"), hasPolicy: request.query("si") != nil)
        if let protocols = request.query("spr"), protocols == "https", !request.isTLS {
            throw StorageError(
                .forbidden,
                "AuthorizationProtocolMismatch",
                "This request is not authorized to perform this operation using this protocol."
            )
        }
        let permissions = q("sp")
        if isAccountSAS {
            let service: Character = request.service == "queue" ? "q" : "b"
            guard q("ss").contains(service) else { throw StorageError.serviceMismatch }
            guard q("srt").contains(level) else { throw StorageError.resourceTypeMismatch }
        } else if request.service == "blob" {
            let resourceType = q("sr")
            let blobScoped = resourceType == "b" || resourceType == "bs" || resourceType == "bv"
            if blobScoped && (request.blobName == nil || level != "o") {
                throw StorageError.resourceTypeMismatch
            }
            if resourceType == "c" && level == "s" { throw StorageError.resourceTypeMismatch }
            if !["b", "bs", "bv", "c"].contains(resourceType) {
                throw StorageError.authenticationFailed("The signed resource '\(resourceType)' is not valid.")
            }
        } else if level == "s" {
            throw StorageError.resourceTypeMismatch
        }
        guard permissions.contains(where: { permission.contains($0) }) else { throw StorageError.permissionMismatch }
        return .sas(permissions: permissions)
    }

    private func checkTimes(start: String?, expiry: String?, hasPolicy: Bool) throws {
        let startDate = try start.map { text -> Date in
            guard let date = SASTime.parse(text) else {
                throw StorageError.authenticationFailed(
                    "st is not a valid ISO 8601 time: '\(text)'. Use \(SASTime.documentedForms) in UTC."
                )
            }
            return date
        }
        guard let expiry else {
            if hasPolicy { return }
            throw StorageError.authenticationFailed("Signed expiry field se is mandatory.")
        }
        guard let expiryDate = SASTime.parse(expiry) else {
            throw StorageError.authenticationFailed(
                "se is not a valid ISO 8601 time: '\(expiry)'. Use \(SASTime.documentedForms) in UTC."
            )
        }
        let tooEarly = startDate.map { now < $0 } ?? false
        if tooEarly || now >= expiryDate {
            let startText = startDate.map(HTTPDate.rfc1123) ?? ""
            throw StorageError.authenticationFailed(
                "Signed expiry time [\(HTTPDate.rfc1123(expiryDate))] must be after signed start time [\(startText)] and the current time [\(HTTPDate.rfc1123(now))]; the signature is not valid in this time frame."
            )
        }
    }

    static func hmac(key: Data, _ text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key))
        return Data(code).base64EncodedString()
    }
}
