import Foundation
import Testing

/// `nimbus demo` end to end on a small image.
@Suite struct DemoCommandTests {
    @Test func theDemoRestoresBothPointsByteIdenticallyAndCleansUp() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try await NimbusProcess().run(["demo", "--size", "12MiB", "--workspace", folder.url.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.components(separatedBy: "byte-identical").count == 3)
        #expect(result.standardOutput.contains("full backup"))
        #expect(result.standardOutput.contains("incremental backup"))
        #expect(result.standardError.isEmpty)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(leftovers.isEmpty)
    }
}
