import AzureKit
import Logging

/// Finds or creates the worker infrastructure of a region (the seed's step 2): the worker resource group, the
/// worker virtual network with its `workers` subnet, the storage account tagged with the appliance's ID (public
/// network access disabled), and private endpoints for the account's Blob and Queue services in that subnet.
///
/// Every resource is found by its deterministic name (``ResourceNames``) and checked by its ``ApplianceTags``; a
/// resource of that name without the appliance's tag is never taken over. Concurrent calls for one region share
/// one preparation; other processes converge on the same resources because names are deterministic and writes
/// are PUTs.
public actor RegionalInfrastructure {
    private let provisioner: RegionalProvisioner
    private var inFlight: [String: Task<RegionalNetwork, any Error>] = [:]

    /// Infrastructure in the subscription of `arm`, owned by `identity`.
    public init(arm: ARMClient, identity: ApplianceIdentity, logger: Logger) {
        self.provisioner = RegionalProvisioner(arm: arm, identity: identity, logger: logger)
    }

    /// The region's worker infrastructure, created where missing.
    ///
    /// A call made while another for the same region runs waits for that one's result. The shared preparation
    /// runs to its end even when a caller waiting for it is cancelled, so that the others get their answer.
    /// - Throws: ``ApplianceError/invalidInput(_:)`` for a malformed region, ``ApplianceError/conflict(_:)`` when
    ///   a resource of one of the names exists without the appliance's tag, or the ARM error of a failed step.
    public func prepare(region: String) async throws -> RegionalNetwork {
        let key = region.lowercased()
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ApplianceError.invalidInput(
                "\"\(region)\" is not an Azure region name; give one such as westeurope (letters and digits)"
            )
        }
        if let running = inFlight[key] {
            return try await running.value
        }
        let provisioner = self.provisioner
        let task = Task { try await provisioner.prepare(region: key) }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return try await task.value
    }
}
