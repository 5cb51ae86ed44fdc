import BackupRepository
import Foundation

/// The file the bootstrap writes on a worker VM (mode 0600): who the worker is, where its queues are,
/// and its key.
///
/// It is JSON; ``decode(_:)`` checks every field and names the first bad one. `description` shows no
/// secret: neither the key nor any SAS token.
public struct WorkerConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The file format's version: 1.
    public var version: Int
    /// The worker's ID (the same ID the appliance seals its jobs for).
    public var workerID: String
    /// The Azure region the worker runs in.
    public var region: String
    /// The appliance that launched it.
    public var applianceID: String
    /// The worker's job queue, with a SAS allowing `p` (get and delete) and `u` (update).
    public var jobQueue: SASURL
    /// The appliance's reply queue, with a SAS allowing `a` (add).
    public var replyQueue: SASURL
    /// The job queue's poison queue, with a SAS allowing `a`.
    public var poisonQueue: SASURL
    /// The overflow container, with a SAS allowing `r`, `c` and `w`.
    public var overflowContainer: SASURL
    /// The worker's key.
    public var workerKey: WorkerKey
    /// How many jobs the worker runs at once.
    public var concurrency: Int

    /// The most jobs a worker may run at once.
    public static let maxConcurrency = 16

    /// A configuration of the current version.
    public init(
        workerID: String,
        region: String,
        applianceID: String,
        jobQueue: SASURL,
        replyQueue: SASURL,
        poisonQueue: SASURL,
        overflowContainer: SASURL,
        workerKey: WorkerKey,
        concurrency: Int = 1
    ) {
        self.version = 1
        self.workerID = workerID
        self.region = region
        self.applianceID = applianceID
        self.jobQueue = jobQueue
        self.replyQueue = replyQueue
        self.poisonQueue = poisonQueue
        self.overflowContainer = overflowContainer
        self.workerKey = workerKey
        self.concurrency = concurrency
    }

    /// Who the worker is and where its queues are; no key, no SAS token.
    public var description: String {
        "WorkerConfiguration(worker \(workerID), region \(region), appliance \(applianceID), jobs \(jobQueue), replies \(replyQueue), poison \(poisonQueue), overflow \(overflowContainer), \(workerKey), concurrency \(concurrency))"
    }

    /// Reads and checks a configuration file's bytes.
    /// - Throws: ``WorkerConfigurationError`` naming the first bad field.
    public static func decode(_ data: Data) throws(WorkerConfigurationError) -> WorkerConfiguration {
        guard let parsed = try? JSONValue(parsing: data) else {
            throw WorkerConfigurationError(field: "(file)", problem: "is not JSON")
        }
        guard case .object(let object) = parsed else {
            throw WorkerConfigurationError(field: "(file)", problem: "is not a JSON object")
        }
        let reader = FieldReader(object: object)
        let version = try reader.integer("version", default: 1)
        guard version == 1 else {
            throw WorkerConfigurationError(
                field: "version",
                problem: "is \(version); this worker reads version 1. Install the worker that matches the appliance"
            )
        }
        var configuration = WorkerConfiguration(
            workerID: try reader.identifier("workerID"),
            region: try reader.identifier("region"),
            applianceID: try reader.identifier("applianceID"),
            jobQueue: try reader.sasURL("jobQueue", needs: "pu"),
            replyQueue: try reader.sasURL("replyQueue", needs: "a"),
            poisonQueue: try reader.sasURL("poisonQueue", needs: "a"),
            overflowContainer: try reader.sasURL("overflowContainer", needs: "rcw"),
            workerKey: try reader.key("workerKey"),
            concurrency: try reader.integer("concurrency", default: 1)
        )
        configuration.version = version
        guard (1...maxConcurrency).contains(configuration.concurrency) else {
            throw WorkerConfigurationError(
                field: "concurrency",
                problem: "is \(configuration.concurrency); give 1 to \(maxConcurrency) jobs at once"
            )
        }
        return configuration
    }

    /// The configuration as JSON, key and SAS tokens included: for the bootstrap to write.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension WorkerConfiguration: Codable {
    private enum CodingKeys: String, CodingKey {
        case version
        case workerID
        case region
        case applianceID
        case jobQueue
        case replyQueue
        case poisonQueue
        case overflowContainer
        case workerKey
        case concurrency
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        workerID = try container.decode(String.self, forKey: .workerID)
        region = try container.decode(String.self, forKey: .region)
        applianceID = try container.decode(String.self, forKey: .applianceID)
        jobQueue = try container.decode(SASURL.self, forKey: .jobQueue)
        replyQueue = try container.decode(SASURL.self, forKey: .replyQueue)
        poisonQueue = try container.decode(SASURL.self, forKey: .poisonQueue)
        overflowContainer = try container.decode(SASURL.self, forKey: .overflowContainer)
        workerKey = try container.decode(WorkerKey.self, forKey: .workerKey)
        concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? 1
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(workerID, forKey: .workerID)
        try container.encode(region, forKey: .region)
        try container.encode(applianceID, forKey: .applianceID)
        try container.encode(jobQueue, forKey: .jobQueue)
        try container.encode(replyQueue, forKey: .replyQueue)
        try container.encode(poisonQueue, forKey: .poisonQueue)
        try container.encode(overflowContainer, forKey: .overflowContainer)
        try container.encode(workerKey, forKey: .workerKey)
        try container.encode(concurrency, forKey: .concurrency)
    }
}

/// A bad field of a worker configuration file.
public struct WorkerConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field's name (`jobQueue`), or `(file)` for the file as a whole.
    public var field: String
    /// What is wrong with it and what to do; never its value when it is secret.
    public var problem: String

    /// An error.
    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String {
        "Worker configuration: \(field) \(problem). Fix the file, or launch the worker again from the appliance so its bootstrap rewrites it."
    }
}

/// Reads the fields of a configuration object one by one, naming the bad one.
private struct FieldReader {
    var object: [String: JSONValue]

    func string(_ field: String) throws(WorkerConfigurationError) -> String {
        guard let value = object[field], value != .null else {
            throw WorkerConfigurationError(field: field, problem: "is missing")
        }
        guard let text = value.stringValue else {
            throw WorkerConfigurationError(field: field, problem: "is not a string")
        }
        return text
    }

    func identifier(_ field: String) throws(WorkerConfigurationError) -> String {
        let text = try string(field)
        guard Envelope.isIdentifier(text) else {
            throw WorkerConfigurationError(
                field: field,
                problem: "'\(text.prefix(40))' is not an ID: use 1 to 128 letters, digits and . _ : -"
            )
        }
        return text
    }

    func integer(_ field: String, default fallback: Int) throws(WorkerConfigurationError) -> Int {
        guard let raw = object[field], raw != .null else { return fallback }
        guard case .integer(let whole) = raw, let value = Int(exactly: whole) else {
            throw WorkerConfigurationError(field: field, problem: "is not a whole number")
        }
        return value
    }

    func sasURL(_ field: String, needs permissions: String) throws(WorkerConfigurationError) -> SASURL {
        let text = try string(field)
        guard let url = SASURL(text) else {
            throw WorkerConfigurationError(
                field: field,
                problem: "is not an https URL with a SAS token (a query holding sig=)"
            )
        }
        if let granted = url.permissions {
            let missing = permissions.filter { !granted.contains($0) }
            guard missing.isEmpty else {
                throw WorkerConfigurationError(
                    field: field,
                    problem:
                        "has a SAS allowing '\(granted)' but the worker needs '\(permissions)' (missing '\(missing)')"
                )
            }
        }
        return url
    }

    func key(_ field: String) throws(WorkerConfigurationError) -> WorkerKey {
        guard let key = WorkerKey(base64: try string(field)) else {
            throw WorkerConfigurationError(field: field, problem: "is not the base64 text of a 32-byte key")
        }
        return key
    }
}
