import Foundation
import Testing
import WorkerProtocol

@Suite("Versioning")
struct VersioningTests {
    let codec = EnvelopeCodec()

    func text(_ kind: MessageKind = .heartbeat) throws -> String {
        try codec.encode(Fixtures.envelope(try Fixtures.body(kind)), overflow: nil).text
    }

    @Test("unknown fields are ignored, at the top and inside the body")
    func unknownFields() throws {
        let original = Fixtures.envelope(try Fixtures.body(.backup))
        let edited = try Fixtures.editing(try codec.encode(original, overflow: nil).text) { object in
            object["futureHeader"] = ["nested": [1, 2, 3]]
            var body = object["body"] as? [String: Any] ?? [:]
            body["compressionHint"] = "zstd-19"
            object["body"] = body
        }
        let decoded = try codec.decode(text: edited)
        #expect(decoded == original)
    }

    @Test("a newer minor version of the same major is read")
    func newerMinor() throws {
        let edited = try Fixtures.editing(try text()) { $0["version"] = "1.7" }
        let decoded = try codec.decode(text: edited)
        #expect(decoded.version == ProtocolVersion(major: 1, minor: 7))
        #expect(decoded.kind == .heartbeat)
    }

    @Test("another major version is refused as unsupported, with the header kept", arguments: ["2.0", "0.9"])
    func otherMajor(version: String) throws {
        let edited = try Fixtures.editing(try text()) { object in
            object["version"] = version
            object["body"] = ["shapeOfTheFuture": true]
        }
        let error = try #require(throws: ProtocolError.self) { try codec.decode(text: edited) }
        #expect(error.code == .unsupported)
        #expect(error.message.contains("Protocol version \(version)"))
        #expect(error.header?.jobID == Fixtures.jobID)
        #expect(error.header?.attempt == 1)
    }

    @Test("an unknown or reserved kind is refused as unsupported", arguments: ["restore", "fileRestore", "teleport"])
    func unknownKind(kind: String) throws {
        let edited = try Fixtures.editing(try text()) { $0["kind"] = kind }
        let error = try #require(throws: ProtocolError.self) { try codec.decode(text: edited) }
        #expect(error.code == .unsupported)
        #expect(error.message.contains("'\(kind)'"))
        #expect(error.message.contains("reserved") == MessageKind.reserved.contains(kind))
        #expect(error.header?.sessionID == "session-42")
    }

    @Test("a missing field is malformed and named")
    func missingField() throws {
        let edited = try Fixtures.editing(try text(.progress)) { object in
            var body = object["body"] as? [String: Any] ?? [:]
            body["bytesRead"] = nil
            object["body"] = body
        }
        let error = try #require(throws: ProtocolError.self) { try codec.decode(text: edited) }
        #expect(error.code == .malformed)
        #expect(error.message.contains("bytesRead"))
        #expect(error.header?.kind == "progress")
    }

    @Test("a bad ID is malformed")
    func badIdentifier() throws {
        let edited = try Fixtures.editing(try text()) { $0["jobID"] = "job with spaces/and slashes" }
        let error = try #require(throws: ProtocolError.self) { try codec.decode(text: edited) }
        #expect(error.code == .malformed)
        #expect(error.message.contains("jobID"))
        #expect(error.header?.jobID == nil)
    }

    @Test("text that is not base64 JSON is malformed", arguments: ["{\"kind\":\"ping\"}", "bm90IGpzb24=", ""])
    func notAMessage(text: String) throws {
        let error = try #require(throws: ProtocolError.self) { try codec.decode(text: text) }
        #expect(error.code == .malformed)
    }

    @Test("versions parse and compare")
    func versions() {
        #expect(ProtocolVersion("1.0") == .current)
        #expect(ProtocolVersion("1") == nil)
        #expect(ProtocolVersion("1.x") == nil)
        #expect(ProtocolVersion("-1.0") == nil)
        #expect(ProtocolVersion(major: 1, minor: 2) > .current)
        #expect(ProtocolVersion.current.accepts(ProtocolVersion(major: 1, minor: 9)))
        #expect(!ProtocolVersion.current.accepts(ProtocolVersion(major: 2, minor: 0)))
    }
}
