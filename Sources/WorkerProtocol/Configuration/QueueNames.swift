import Crypto
import Foundation

/// The names of the queues and the container of the protocol, derived from worker and appliance IDs so that
/// both sides agree on them without asking.
///
/// Azure queue names are 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a
/// letter or digit. An ID that is already such a name (lowercase letters, digits and single hyphens) is used
/// as is; any other is lowercased, has every other character turned into a hyphen, and gets the first
/// 8 hexadecimal digits of its SHA-256 appended, so that two IDs never share a queue. A name's poison queue
/// is the name followed by `-poison`.
public enum QueueNames {
    /// The overflow container.
    public static let overflowContainer = "overflow"
    /// The longest queue name Azure accepts.
    static let maxLength = 63
    /// Room left for `-poison` after a base name.
    static let maxBaseLength = maxLength - poisonSuffix.count
    static let poisonSuffix = "-poison"

    /// The job queue of a worker: `jobs-<worker>`.
    public static func jobs(worker workerID: String) -> String { base("jobs", workerID) }
    /// The poison queue of a worker's job queue: `jobs-<worker>-poison`.
    public static func jobsPoison(worker workerID: String) -> String { base("jobs", workerID) + poisonSuffix }
    /// The reply queue of an appliance: `replies-<appliance>`.
    public static func replies(appliance applianceID: String) -> String { base("replies", applianceID) }
    /// The poison queue of an appliance's reply queue: `replies-<appliance>-poison`.
    public static func repliesPoison(appliance applianceID: String) -> String {
        base("replies", applianceID) + poisonSuffix
    }

    /// Whether `name` is a valid Azure queue name.
    public static func isValidQueueName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...maxLength).contains(bytes.count), let first = bytes.first, let last = bytes.last,
            first != 0x2d, last != 0x2d
        else { return false }
        for (index, byte) in bytes.enumerated() {
            let allowed = (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2d
            guard allowed, !(byte == 0x2d && index > 0 && bytes[index - 1] == 0x2d) else { return false }
        }
        return true
    }

    static func base(_ prefix: String, _ id: String) -> String {
        let plain = "\(prefix)-\(id)"
        if plain.count <= maxBaseLength, isValidQueueName(plain) { return plain }
        var body = ""
        for character in id.lowercased() {
            let keep = character.isASCII && (character.isLetter || character.isNumber)
            if keep {
                body.append(character)
            } else if !body.hasSuffix("-") {
                body.append("-")
            }
        }
        let digest = SHA256.hash(data: Data(id.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
        let room = maxBaseLength - prefix.count - digest.count - 2
        body = String(body.prefix(room))
        while body.hasSuffix("-") { body.removeLast() }
        while body.hasPrefix("-") { body.removeFirst() }
        return body.isEmpty ? "\(prefix)-\(digest)" : "\(prefix)-\(body)-\(digest)"
    }
}
