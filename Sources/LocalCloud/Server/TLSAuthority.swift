import AzureKit
import Crypto
import Foundation
import NIOCore
import NIOSSL
import SwiftASN1
import Synchronization
import X509

/// The certificate authority LocalCloud creates on first start, and the server certificates it issues.
///
/// The CA certificate is `DIR/ca.pem` (clients trust it); its key is `DIR/tls/ca-key.pem`. Each listener gets its
/// own server certificate, issued at bind time, whose subject alternative names cover `127.0.0.1`, `localhost` and
/// the listener's own address.
public final class TLSAuthority: Sendable {
    /// The path of the CA certificate (PEM) that clients must trust.
    public let caCertificatePath: URL
    private let caCertificate: Certificate
    private let caKey: P256.Signing.PrivateKey
    private let issued: Mutex<[String: TLSConfiguration]>

    /// Loads the CA from `directory`, creating it on first use.
    public init(directory: URL) throws {
        caCertificatePath = directory.appendingPathComponent("ca.pem")
        let keyPath = directory.appendingPathComponent("tls/ca-key.pem")
        do {
            if FileManager.default.fileExists(atPath: caCertificatePath.path),
                FileManager.default.fileExists(atPath: keyPath.path)
            {
                caCertificate = try Certificate(
                    pemEncoded: String(decoding: try Data(contentsOf: caCertificatePath), as: UTF8.self)
                )
                caKey = try P256.Signing.PrivateKey(
                    pemRepresentation: String(decoding: try Data(contentsOf: keyPath), as: UTF8.self)
                )
            } else {
                let key = P256.Signing.PrivateKey()
                let certificate = try Self.makeCA(key: key)
                try AtomicFile.write(Data(key.pemRepresentation.utf8), to: keyPath, permissions: AtomicFile.secret)
                try AtomicFile.write(Data(try certificate.serializeAsPEM().pemString.utf8), to: caCertificatePath)
                caCertificate = certificate
                caKey = key
            }
        } catch let error as LocalCloudError {
            throw error
        } catch {
            throw LocalCloudError(
                .tls,
                "Could not load or create the certificate authority in \(directory.path); remove ca.pem and tls/ to start afresh.",
                cause: error
            )
        }
        issued = Mutex([:])
    }

    /// The CA certificate in PEM form.
    public var caCertificatePEM: String {
        (try? caCertificate.serializeAsPEM().pemString) ?? ""
    }

    /// How long closing a TLS connection waits for the peer's `close_notify`.
    static let closeNotifyTimeout: TimeAmount = .milliseconds(200)

    /// A server TLS configuration whose certificate is valid for `host` (plus `127.0.0.1` and `localhost`).
    public func serverConfiguration(for host: String) throws -> TLSConfiguration {
        if let cached = issued.withLock({ $0[host] }) { return cached }
        do {
            let key = P256.Signing.PrivateKey()
            let certificate = try issueServerCertificate(for: host, key: key)
            let leaf = try NIOSSLCertificate(
                bytes: Array(try certificate.serializeAsPEM().pemString.utf8),
                format: .pem
            )
            let ca = try NIOSSLCertificate(
                bytes: Array(try caCertificate.serializeAsPEM().pemString.utf8),
                format: .pem
            )
            let privateKey = try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(leaf), .certificate(ca)],
                privateKey: .privateKey(privateKey)
            )
            configuration.minimumTLSVersion = .tlsv12
            // Closing a connection waits this long for the client's close_notify; idle keep-alive clients seldom
            // send one, so a long wait would only delay shutdown.
            configuration.shutdownTimeout = Self.closeNotifyTimeout
            issued.withLock { $0[host] = configuration }
            return configuration
        } catch {
            throw LocalCloudError(.tls, "Could not issue a server certificate for \(host).", cause: error)
        }
    }

    private static func makeCA(key: P256.Signing.PrivateKey) throws -> Certificate {
        let name = try DistinguishedName {
            OrganizationName("Nimbus LocalCloud")
            CommonName("LocalCloud Root CA \(UUID().uuidString.prefix(8))")
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let now = Date()
        return try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(20 * 365 * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: .init(key)
        )
    }

    private func issueServerCertificate(for host: String, key: P256.Signing.PrivateKey) throws -> Certificate {
        var names: [GeneralName] = [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]
        if let octets = IPv4Address.octets(of: host), octets != [127, 0, 0, 1] {
            names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(octets))))
        } else if IPv4Address.octets(of: host) == nil, host != "localhost" {
            names.append(.dnsName(host))
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName {
            OrganizationName("Nimbus LocalCloud")
            CommonName(host)
        }
        let caKeyIdentifier = try caCertificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let now = Date()
        return try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: caCertificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyAgreement: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(hash: publicKey)
                if let caKeyIdentifier {
                    AuthorityKeyIdentifier(keyIdentifier: caKeyIdentifier)
                }
            },
            issuerPrivateKey: .init(caKey)
        )
    }
}

/// Parsing of dotted IPv4 addresses.
enum IPv4Address {
    /// The four octets of a dotted-quad address, or `nil`.
    static func octets(of text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard let value = UInt8(part) else { return nil }
            octets.append(value)
        }
        return octets
    }
}
