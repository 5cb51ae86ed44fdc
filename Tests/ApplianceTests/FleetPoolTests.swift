import Appliance
import Foundation
import LocalCloudTesting
import Testing

/// The per-region pool: an idle worker is reused without a new launch, and the region's limit is kept.
@Suite struct FleetPoolTests {
    @Test func anIdleWorkerIsReusedAndTheRegionLimitIsKept() async throws {
        try await FleetCloud.with { fleet in
            let logger = TestCloud.quiet
            let clock = ManualClock()
            var settings = WorkerFleet.Settings()
            settings.maxWorkersPerRegion = 1
            settings.idleTimeout = .seconds(60)
            let pool = WorkerFleet(bootstrap: fleet.bootstrap, settings: settings, logger: logger) { clock.now }
            let region = fleet.network.region

            let worker = try await pool.acquire(network: fleet.network, totalDiskBytes: 10 << 30, logger: logger)
            #expect(await pool.states(region: region) == [0: .busy])
            // The one worker of the region is busy: a second job is refused with what to do.
            let refused = await #expect(throws: ApplianceError.self) {
                _ = try await pool.acquire(network: fleet.network, totalDiskBytes: 10 << 30, logger: logger)
            }
            #expect(refused?.description.contains("busy") == true)

            await pool.release(worker)
            #expect(await pool.states(region: region) == [0: .idle(since: clock.now)])
            // A larger job still gets the idle worker (the limit is one), with no new Run Command.
            let reused = try await pool.acquire(network: fleet.network, totalDiskBytes: 2 << 40, logger: logger)
            #expect(reused.workerID == worker.workerID && reused.key == worker.key)
            let runs = try await fleet.vmFolder(worker.vmName).appending(path: "var/lib/waagent/run-command/download")
            #expect(try FileManager.default.contentsOfDirectory(atPath: runs.path).count == 1)

            // Idle, but not for long enough: kept running.
            await pool.release(reused)
            clock.advance(by: 30)
            #expect(try await pool.deallocateIdle(logger: logger).isEmpty)
            #expect(try await fleet.powerState(worker.vmName) == "running")
            clock.advance(by: 30)
            #expect(try await pool.deallocateIdle(logger: logger) == [worker.workerID])
            #expect(try await fleet.powerState(worker.vmName) == "deallocated")
        }
    }
}
