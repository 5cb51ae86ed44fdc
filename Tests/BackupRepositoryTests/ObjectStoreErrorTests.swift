import Testing

@testable import BackupRepository

@Suite struct ObjectStoreErrorTests {
    @Test func descriptionNamesTheObjectAndTheStore() {
        let error = ObjectStoreError(
            .notFound,
            key: "packs/ab/abcd",
            location: "/srv/repo",
            message: "the pack is missing"
        )
        #expect(error.description == "object 'packs/ab/abcd' in /srv/repo: not found: the pack is missing")
        #expect(error.code == .notFound)
    }
}
