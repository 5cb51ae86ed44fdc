import Crypto
import Foundation

/// Seals ``SnapshotMetadata`` into tag values and opens them again.
///
/// The JSON is sealed with AES-256-GCM under the ``SnapshotTagKey``, with associated data that names the snapshot,
/// so a value copied onto another snapshot does not open. The sealed box (nonce, ciphertext, tag) is written in
/// base64url without padding and split into values of at most 256 characters, Azure's limit, over
/// `nimbus-meta-0`, `nimbus-meta-1`, ….
enum SealedSnapshotTags {
    /// Azure's limit on a tag value.
    static let maxValueLength = 256

    /// The tags that carry `metadata` on the snapshot `snapshotName`.
    static func seal(_ metadata: SnapshotMetadata, snapshotName: String, key: SnapshotTagKey) throws -> [String: String]
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let plaintext = try encoder.encode(metadata)
        let box = try AES.GCM.seal(plaintext, using: key.key, authenticating: associatedData(snapshotName))
        guard let combined = box.combined else {
            throw ApplianceError.corrupt("sealing the metadata of snapshot \(snapshotName) gave no sealed box")
        }
        let text = base64url(combined)
        var tags: [String: String] = [:]
        var index = 0
        var rest = Substring(text)
        while !rest.isEmpty {
            tags[ApplianceTags.sealedMetadataPrefix + String(index)] = String(rest.prefix(maxValueLength))
            rest = rest.dropFirst(maxValueLength)
            index += 1
        }
        return tags
    }

    /// Whether `tags` hold sealed metadata at all (the first piece).
    static func present(in tags: [String: String]?) -> Bool {
        (tags ?? [:]).keys.contains { $0.lowercased() == ApplianceTags.sealedMetadataPrefix + "0" }
    }

    /// Opens the metadata sealed on the snapshot `snapshotName`.
    /// - Throws: ``ApplianceError/corrupt(_:)`` naming what is wrong: a missing piece, bad encoding, a seal that
    ///   does not open (tampered, truncated, another key or another snapshot's value), or an unknown version.
    static func open(_ tags: [String: String], snapshotName: String, key: SnapshotTagKey) throws(ApplianceError)
        -> SnapshotMetadata
    {
        var pieces: [Int: String] = [:]
        for (name, value) in tags {
            let lowered = name.lowercased()
            guard lowered.hasPrefix(ApplianceTags.sealedMetadataPrefix) else { continue }
            guard let index = Int(lowered.dropFirst(ApplianceTags.sealedMetadataPrefix.count)), index >= 0 else {
                throw .corrupt("snapshot \(snapshotName) has a metadata tag \(name) with no piece number")
            }
            pieces[index] = value
        }
        guard !pieces.isEmpty else { throw .corrupt("snapshot \(snapshotName) has no sealed metadata tags") }
        guard pieces.keys.sorted() == Array(0..<pieces.count) else {
            throw .corrupt("snapshot \(snapshotName) is missing pieces of its sealed metadata")
        }
        let text = (0..<pieces.count).compactMap { pieces[$0] }.joined()
        guard let combined = data(base64url: text) else {
            throw .corrupt("the sealed metadata of snapshot \(snapshotName) is not base64url")
        }
        let plaintext: Data
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            plaintext = try AES.GCM.open(box, using: key.key, authenticating: associatedData(snapshotName))
        } catch {
            throw .corrupt(
                "the sealed metadata of snapshot \(snapshotName) does not open under this appliance's key "
                    + "(tampered, truncated, copied from another snapshot, or sealed by another appliance)"
            )
        }
        let decoder = JSONDecoder()
        let metadata: SnapshotMetadata
        do {
            metadata = try decoder.decode(SnapshotMetadata.self, from: plaintext)
        } catch {
            throw .corrupt("the sealed metadata of snapshot \(snapshotName) opens but does not decode: \(error)")
        }
        guard metadata.formatVersion == SnapshotMetadata.currentFormatVersion else {
            throw .corrupt(
                "snapshot \(snapshotName) has metadata format \(metadata.formatVersion); this appliance reads "
                    + "format \(SnapshotMetadata.currentFormatVersion) only"
            )
        }
        return metadata
    }

    /// Binds a sealed value to the (case-insensitive) name of its snapshot.
    static func associatedData(_ snapshotName: String) -> Data {
        Data("nimbus-snapshot-metadata/v1/\(snapshotName.lowercased())".utf8)
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64url text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}
