import Testing

@testable import BackupRepository

@Suite struct BackupRepositoryModuleTests {
    @Test func moduleNameIsStable() {
        #expect(BackupRepositoryModule.name == "BackupRepository")
    }
}
