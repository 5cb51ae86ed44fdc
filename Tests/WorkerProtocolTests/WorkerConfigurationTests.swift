import Foundation
import Testing
import WorkerProtocol

@Suite("Worker configuration")
struct WorkerConfigurationTests {
    static let sig = "sig=CONFIGSIGsecret0007"

    func fields() -> [String: Any] {
        [
            "version": 1,
            "workerID": Fixtures.workerID,
            "region": "westeurope",
            "applianceID": Fixtures.applianceID,
            "jobQueue": "https://nimbusq.queue.core.windows.net/jobs-w1?sv=2024-08-04&sp=pu&\(Self.sig)",
            "replyQueue": "https://nimbusq.queue.core.windows.net/replies-a1?sv=2024-08-04&sp=a&\(Self.sig)",
            "poisonQueue": "https://nimbusq.queue.core.windows.net/jobs-w1-poison?sv=2024-08-04&sp=a&\(Self.sig)",
            "overflowContainer": "https://nimbusq.blob.core.windows.net/overflow?sv=2024-08-04&sr=c&sp=rcw&\(Self.sig)",
            "workerKey": Fixtures.key.base64,
            "concurrency": 2,
        ]
    }

    func decode(_ object: [String: Any]) throws -> WorkerConfiguration {
        try WorkerConfiguration.decode(try JSONSerialization.data(withJSONObject: object))
    }

    @Test("a complete file decodes, and encodes back to the same configuration")
    func roundTrip() throws {
        let configuration = try decode(fields())
        #expect(configuration.workerID == Fixtures.workerID)
        #expect(configuration.concurrency == 2)
        #expect(configuration.workerKey == Fixtures.key)
        #expect(configuration.jobQueue.resource.absoluteString == "https://nimbusq.queue.core.windows.net/jobs-w1")
        #expect(configuration.jobQueue.token.hasSuffix(Self.sig))
        #expect(configuration.replyQueue.permissions == "a")
        #expect(try WorkerConfiguration.decode(try configuration.encoded()) == configuration)
    }

    @Test("concurrency defaults to one job at a time")
    func defaultConcurrency() throws {
        var object = fields()
        object["concurrency"] = nil
        #expect(try decode(object).concurrency == 1)
    }

    @Test("the description shows no key and no SAS token")
    func redacted() throws {
        let configuration = try decode(fields())
        for text in [configuration.description, String(reflecting: configuration)] {
            #expect(!text.contains("CONFIGSIG"))
            #expect(!text.contains(Fixtures.key.base64))
            #expect(text.contains("jobs-w1?<SAS redacted>"))
        }
    }

    @Test(
        "each bad field is named",
        arguments: [
            ("workerID", nil, "is missing"),
            ("workerID", "two words", "is not an ID"),
            ("region", 5, "is not a string"),
            ("jobQueue", "https://nimbusq.queue.core.windows.net/jobs-w1", "is not an https URL with a SAS token"),
            ("jobQueue", "ftp://nimbusq/jobs?sig=x", "is not an https URL with a SAS token"),
            ("jobQueue", "https://nimbusq.queue.core.windows.net/jobs-w1?sp=p&sig=x", "missing 'u'"),
            ("replyQueue", "https://nimbusq.queue.core.windows.net/r?sp=r&sig=x", "missing 'a'"),
            ("overflowContainer", "https://nimbusq.blob.core.windows.net/o?sp=r&sig=x", "missing 'cw'"),
            ("workerKey", "c2hvcnQ=", "32-byte key"),
            ("concurrency", 0, "give 1 to 16"),
            ("concurrency", 1.5, "not a whole number"),
            ("version", 2, "this worker reads version 1"),
        ] as [(String, (any Sendable)?, String)]
    )
    func badField(field: String, value: (any Sendable)?, problem: String) throws {
        var object = fields()
        object[field] = value
        let error = try #require(throws: WorkerConfigurationError.self) { try decode(object) }
        #expect(error.field == field)
        #expect(error.problem.contains(problem))
        #expect(error.description.contains(field))
        #expect(!error.description.contains("CONFIGSIG"))
    }

    @Test("a file that is not a JSON object is refused as a whole")
    func notAnObject() throws {
        for text in ["[1, 2]", "not json"] {
            let error = try #require(throws: WorkerConfigurationError.self) {
                try WorkerConfiguration.decode(Data(text.utf8))
            }
            #expect(error.field == "(file)")
        }
    }
}
