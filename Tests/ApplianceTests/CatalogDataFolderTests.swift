import Foundation
import Testing

@testable import Appliance

@Suite struct CatalogDataFolderTests {
    @Test func initCreatesAnOwnerOnlyFolderAKeyACatalogAndAnAdminTokenStoredAsItsHash() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let directory = folder.file("appliance")
        let created = try await ApplianceData.initialize(directory: directory, now: CatalogTestTime.at(0))
        let mode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let keyMode = try FileManager.default.attributesOfItem(atPath: directory + "/master.key")[.posixPermissions]
        #expect(keyMode as? Int == 0o600)
        #expect(FileManager.default.fileExists(atPath: directory + "/catalog.sqlite"))

        let token = created.adminToken
        #expect(Data(base64Encoded: Self.base64(fromURLSafe: token))?.count == 32)
        #expect(!token.contains("=") && !token.contains("+") && !token.contains("/"))
        let tokens = try await created.data.catalog.all(APITokenRecord.self)
        #expect(tokens.count == 1)
        #expect(tokens.first?.role == .admin)
        #expect(tokens.first?.tokenHash == APITokenRecord.hash(of: token))
        #expect(try await created.data.catalog.activeToken(token)?.name == "admin")
        #expect(try await created.data.catalog.activeToken(token + "x") == nil)

        var bytes = Data()
        for name in ["catalog.sqlite", "catalog.sqlite-wal"] {
            bytes.append(FileManager.default.contents(atPath: directory + "/" + name) ?? Data())
        }
        #expect(bytes.range(of: Data(token.utf8)) == nil)
        #expect(bytes.range(of: Data(APITokenRecord.hash(of: token).utf8)) != nil)

        let opened = try await ApplianceData.open(directory: directory)
        #expect(opened.catalog.appliedMigrations.isEmpty)
        #expect(try await opened.catalog.activeToken(token) != nil)
    }

    @Test func initTwiceIsRefusedAndLeavesTheFirstCatalogAlone() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let directory = folder.file("appliance")
        let first = try await ApplianceData.initialize(directory: directory)
        let key = try Data(contentsOf: URL(fileURLWithPath: directory + "/master.key"))
        await #expect {
            _ = try await ApplianceData.initialize(directory: directory)
        } throws: { error in
            guard let error = error as? ApplianceError, case .conflict(let message) = error else { return false }
            return message.contains(directory) && message.contains("catalog.sqlite")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/master.key")) == key)
        let opened = try await ApplianceData.open(directory: directory)
        #expect(try await opened.catalog.activeToken(first.adminToken) != nil)
    }

    @Test func openingAFolderWithoutACatalogSaysToRunInit() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        await #expect {
            _ = try await ApplianceData.open(directory: folder.path)
        } throws: { error in
            "\(error)".contains("nimbus appliance init --data \(folder.path)")
        }
    }

    private static func base64(fromURLSafe text: String) -> String {
        let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return standard + String(repeating: "=", count: (4 - standard.count % 4) % 4)
    }
}
