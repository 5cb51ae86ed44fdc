import AzureKit
import Foundation
import Logging
import ServiceLifecycle

/// The appliance's workers, as a pool per region.
///
/// ``acquire(network:totalDiskBytes:logger:)`` hands out a worker for a job: an idle running worker of the region
/// first (the smallest whose profile is large enough, else the largest: a VM's size is chosen when it is created);
/// else a deallocated one, started again (with a new key); else a new one, up to
/// ``Settings/maxWorkersPerRegion``. ``release(_:)`` makes a worker idle; a worker idle for
/// ``Settings/idleTimeout`` (10 minutes by default) is deallocated by ``deallocateIdle(logger:)``, which
/// ``run()`` calls periodically when the fleet runs as a service. Pool slots are the deterministic VM names of
/// ``ResourceNames/workerVM(region:index:)``, so a restarted appliance finds its deallocated workers again.
public actor WorkerFleet: Service {
    /// Pool settings.
    public struct Settings: Sendable {
        /// The most workers per region.
        public var maxWorkersPerRegion = 3
        /// How long a worker stays idle and running before it is deallocated.
        public var idleTimeout: Duration = .seconds(600)
        /// How often ``WorkerFleet/run()`` looks for idle workers.
        public var checkInterval: Duration = .seconds(30)

        /// The defaults.
        public init() {}
    }

    /// What a pool slot is doing.
    public enum State: Sendable, Equatable {
        /// Being launched or running a job.
        case busy
        /// Running, without a job, since the time given.
        case idle(since: Date)
        /// Being deallocated.
        case deallocating
        /// Deallocated (kept for the next launch).
        case deallocated
    }

    struct Slot {
        var state: State
        var worker: LaunchedWorker?
    }

    /// The bootstrap that launches workers.
    public nonisolated let bootstrap: WorkerBootstrap
    /// The settings.
    public nonisolated let settings: Settings
    let now: @Sendable () -> Date
    let logger: Logger
    var slots: [String: [Int: Slot]] = [:]

    /// A fleet; `now` is the clock idle times are measured with (a test double in tests).
    public init(
        bootstrap: WorkerBootstrap,
        settings: Settings = Settings(),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.bootstrap = bootstrap
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    /// The state of every known slot of `region`, by index.
    public func states(region: String) -> [Int: State] {
        (slots[region] ?? [:]).mapValues(\.state)
    }

    /// A worker for a job on VMs whose disks total `totalDiskBytes`, marked busy until ``release(_:)``.
    /// - Throws: ``ApplianceError/conflict(_:)`` when every worker of the region is busy; launch errors.
    public func acquire(network: WorkerNetwork, totalDiskBytes: Int64, logger: Logger) async throws -> LaunchedWorker {
        let region = network.region
        let profile = WorkerProfile(totalDiskBytes: totalDiskBytes)
        let pool = slots[region] ?? [:]
        // An idle worker: the smallest one large enough, else the largest (a VM is sized when it is created).
        let idle = pool.compactMap { index, slot -> (Int, LaunchedWorker)? in
            guard case .idle = slot.state, let worker = slot.worker else { return nil }
            return (index, worker)
        }.sorted { ($0.1.profile, $0.0) < ($1.1.profile, $1.0) }
        if let (index, worker) = idle.first(where: { $0.1.profile >= profile }) ?? idle.last {
            slots[region]?[index]?.state = .busy
            logger.debug("Idle worker reused", metadata: ["worker.id": "\(worker.workerID)"])
            return worker
        }
        let free = (0..<settings.maxWorkersPerRegion).filter { index in
            guard let slot = pool[index] else { return true }
            return slot.state == .deallocated
        }
        guard !free.isEmpty else {
            throw ApplianceError.conflict(
                "all \(settings.maxWorkersPerRegion) workers of region \(region) are busy; wait for one to finish "
                    + "or raise the policy's maximum of workers per region"
            )
        }
        // Prefer a slot whose VM exists (deallocated, kept from earlier work) over creating a new VM.
        var chosen = free[0]
        for index in free {
            if pool[index] != nil {
                chosen = index
                break
            }
            let name = bootstrap.workerID(region: region, index: index)
            if try await bootstrap.arm.virtualMachine(
                resourceGroup: network.resourceGroup,
                name: name,
                logger: logger
            ) != nil {
                chosen = index
                break
            }
        }
        // Another acquire may have run while ARM was asked: take the slot only if it is still free.
        if let slot = slots[region]?[chosen], slot.state != .deallocated {
            return try await acquire(network: network, totalDiskBytes: totalDiskBytes, logger: logger)
        }
        slots[region, default: [:]][chosen] = Slot(state: .busy, worker: nil)
        do {
            let worker = try await bootstrap.launch(index: chosen, network: network, profile: profile, logger: logger)
            slots[region, default: [:]][chosen] = Slot(state: .busy, worker: worker)
            return worker
        } catch {
            slots[region]?[chosen] = nil
            throw error
        }
    }

    /// Makes a worker idle: it is reused by the next ``acquire(network:totalDiskBytes:logger:)`` or deallocated
    /// after the idle timeout.
    public func release(_ worker: LaunchedWorker) {
        guard slots[worker.region]?[worker.index] != nil else { return }
        slots[worker.region]?[worker.index]?.state = .idle(since: now())
    }

    /// Deallocates a worker VM now (when the session completes and the pool keeps no idle worker).
    public func deallocate(_ worker: LaunchedWorker, logger: Logger) async throws {
        slots[worker.region, default: [:]][worker.index] = Slot(state: .deallocating, worker: worker)
        do {
            try await bootstrap.arm.deallocateVirtualMachine(
                resourceGroup: worker.resourceGroup,
                name: worker.vmName,
                logger: logger
            )
        } catch {
            slots[worker.region]?[worker.index]?.state = .idle(since: now())
            throw error
        }
        slots[worker.region]?[worker.index]?.state = .deallocated
        logger.info("Worker deallocated", metadata: ["worker.id": "\(worker.workerID)"])
    }

    /// Deallocates every worker idle for at least the idle timeout, and returns their IDs.
    @discardableResult
    public func deallocateIdle(logger: Logger) async throws -> [String] {
        let limit = WorkerBinaries.seconds(settings.idleTimeout)
        let moment = now()
        var due: [LaunchedWorker] = []
        for (_, pool) in slots {
            for (_, slot) in pool {
                if case .idle(let since) = slot.state, moment.timeIntervalSince(since) >= limit,
                    let worker = slot.worker
                {
                    due.append(worker)
                }
            }
        }
        for worker in due.sorted(by: { $0.workerID < $1.workerID }) {
            try await deallocate(worker, logger: logger)
        }
        return due.map(\.workerID).sorted()
    }

    /// Deallocates idle workers every ``Settings/checkInterval`` until cancelled or shut down gracefully.
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: self.settings.checkInterval)
                do {
                    try await self.deallocateIdle(logger: self.logger)
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.warning("Idle workers not deallocated", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
