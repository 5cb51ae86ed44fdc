import Foundation
import NIOCore
import NIOHTTP1

/// Decodes the token responses of Entra ID (numbers) and IMDS (numbers as strings).
enum TokenResponse {
    static func decode(_ body: [UInt8], requested: Date, source: String) throws -> AccessToken {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let token = object["access_token"] as? String, !token.isEmpty
        else {
            throw AzureError(.authentication, message: "The answer of the \(source) holds no access_token.")
        }
        func number(_ key: String) -> Double? {
            if let value = object[key] as? Double { return value }
            if let value = object[key] as? Int { return Double(value) }
            if let value = object[key] as? String { return Double(value) }
            return nil
        }
        let expiresOn: Date
        if let expiresIn = number("expires_in") {
            expiresOn = requested.addingTimeInterval(expiresIn)
        } else if let epoch = number("expires_on") {
            expiresOn = Date(timeIntervalSince1970: epoch)
        } else {
            expiresOn = requested.addingTimeInterval(3600)
        }
        return AccessToken(token: token, expiresOn: expiresOn)
    }
}
