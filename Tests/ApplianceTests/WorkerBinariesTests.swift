import Appliance
import AzureKit
import Foundation
import LocalCloudTesting
import NIOCore
import Testing

/// Worker files in the private account: MD5-checked uploads, skipped when present, and tampering caught on the VM.
@Suite struct WorkerBinariesTests {
    @Test func uploadsAreVerifiedAndSkippedWhenTheSameMD5IsThere() async throws {
        try await FleetCloud.with { fleet in
            let logger = TestCloud.quiet
            let folder = fleet.cloud.folder
            let path = folder.appending(path: "payload.bin").path
            // Larger than one block, so it goes up in blocks.
            try Data((0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: path))
            var binaries = WorkerBinaries(client: fleet.cloud.client, storage: fleet.network.storage, container: "bins")
            binaries.blockSize = 4 << 20
            let files = [WorkerFile(blobName: "payload", source: .file(path)), .installScript]
            let first = try await binaries.upload(files, logger: logger)
            #expect(first.map(\.uploaded) == [true, true])
            #expect(first[0].length == 9 << 20)
            let second = try await binaries.upload(files, logger: logger)
            #expect(second.map(\.uploaded) == [false, false])
            #expect(second.map(\.md5Hex) == first.map(\.md5Hex))

            // The read SAS URL reads the file, and only reads.
            let url = try AzureKit.SASURL(string: second[1].readURL)
            #expect(url.permissions == "r")
            let reader = try BlobClient(client: fleet.cloud.client, sasURL: url)
            let script = try await reader.downloadData(container: "bins", blob: InstallScript.blobName, logger: logger)
            #expect(String(buffer: script) == InstallScript.text + "\n")

            // A changed file is uploaded again.
            try Data("changed".utf8).write(to: URL(fileURLWithPath: path))
            let third = try await binaries.upload(files, logger: logger)
            #expect(third.map(\.uploaded) == [true, false])
            #expect(third[0].md5Hex != first[0].md5Hex)

            // A file that cannot be read is named.
            await #expect(throws: ApplianceError.self) {
                _ = try await binaries.upload(
                    [WorkerFile(blobName: "x", source: .file(path + ".missing"))],
                    logger: logger
                )
            }
        }
    }

    @Test func aTamperedBinaryIsRefusedByTheInstallScriptWithAClearError() async throws {
        try await FleetCloud.with { fleet in
            let logger = TestCloud.quiet
            let bootstrap = fleet.bootstrap
            let files = try await WorkerBinaries(
                client: fleet.cloud.client,
                storage: fleet.network.storage,
                container: bootstrap.names.binariesContainer
            ).upload([.executable(FleetCloud.workerExecutable), .installScript], logger: logger)
            // Someone replaces the uploaded executable after the appliance checked it.
            try await BlobClient(
                client: fleet.cloud.client,
                endpoint: fleet.network.storage.blobEndpoint,
                authorization: .sharedKey(fleet.account.credential)
            ).putBlob(
                container: bootstrap.names.binariesContainer,
                blob: "nimbus-worker",
                data: ByteBuffer(string: "#!/bin/sh\necho not the worker\n"),
                logger: logger
            )
            let error = await #expect(throws: ApplianceError.self) {
                _ = try await bootstrap.install(
                    index: 0,
                    network: fleet.network,
                    profile: .small,
                    files: files,
                    logger: logger
                )
            }
            let message = error?.description ?? ""
            #expect(message.contains("MD5 mismatch for nimbus-worker"), "\(message)")
            #expect(message.contains(files[0].md5Hex))
            // Nothing was installed, and no daemon runs.
            let folder = try await fleet.vmFolder(bootstrap.workerID(region: fleet.network.region, index: 0))
            #expect(
                !FileManager.default.fileExists(atPath: folder.appending(path: "opt/nimbus/bin/nimbus-worker").path)
            )
            #expect(try await fleet.daemonPID(bootstrap.workerID(region: fleet.network.region, index: 0)) == nil)
        }
    }
}
