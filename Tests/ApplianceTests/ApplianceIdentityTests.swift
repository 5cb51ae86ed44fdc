import Testing

@testable import Appliance

@Suite struct ApplianceIdentityTests {
    static let id =
        "/subscriptions/0000-1111/resourceGroups/rg-appliance/providers/Microsoft.Compute/virtualMachines/nimbus-appliance"

    @Test func aVMResourceIDIsAcceptedAndItsPartsRead() throws {
        let identity = try ApplianceIdentity(vmResourceID: Self.id)
        #expect(identity.subscriptionID == "0000-1111")
        #expect(identity.vmName == "nimbus-appliance")
        #expect(identity.shortID.count == 10)
        // Resource IDs are case-insensitive: the short ID does not change with case.
        #expect(try ApplianceIdentity(vmResourceID: Self.id.uppercased()).shortID == identity.shortID)
    }

    @Test(arguments: [
        "", "/subscriptions/x", "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a",
    ])
    func anythingButAVMResourceIDIsRefusedWithWhatToGive(_ text: String) {
        #expect(throws: ApplianceError.self) { try ApplianceIdentity(vmResourceID: text) }
        do {
            _ = try ApplianceIdentity(vmResourceID: text)
        } catch {
            #expect(error.description.contains("virtualMachines/NAME"))
        }
    }

    @Test func namesAreDeterministicAndWithinAzureLimits() throws {
        let names = ResourceNames(identity: try ApplianceIdentity(vmResourceID: Self.id))
        let account = names.workerStorageAccount(region: "westeurope")
        #expect(account == names.workerStorageAccount(region: "westeurope"))
        #expect(account != names.workerStorageAccount(region: "northeurope"))
        #expect((3...24).contains(account.count))
        #expect(account.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) })
        let snapshot = names.snapshot(vmName: String(repeating: "v", count: 80), disk: "os", taskID: "task-1")
        #expect(snapshot.count <= 80)
        #expect(snapshot != names.snapshot(vmName: String(repeating: "v", count: 80), disk: "os", taskID: "task-2"))
        #expect(snapshot.hasSuffix("-os"))
    }

    @Test func ownershipIsReadFromTheApplianceTagCaseInsensitively() throws {
        let identity = try ApplianceIdentity(vmResourceID: Self.id)
        let tags = ApplianceTags.owned(by: identity, role: .workerStorage, region: "westeurope")
        #expect(ApplianceTags.isOwned(tags, by: identity))
        #expect(ApplianceTags.isOwned(["Nimbus-Appliance": Self.id.lowercased()], by: identity))
        #expect(!ApplianceTags.isOwned(["nimbus-appliance": Self.id + "-other"], by: identity))
        #expect(!ApplianceTags.isOwned(nil, by: identity))
    }
}
