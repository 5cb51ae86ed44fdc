import Synchronization

/// The repository index held in memory for location lookups, loaded on first use.
///
/// Restores rarely need it: tree entries carry location hints. It is loaded when a block has no hint or its
/// hinted pack is gone, and costs about 100 bytes per indexed block. Loading is single-flight: however many
/// callers miss at once (a restore's concurrent runs after a prune repacked their packs), the index is read
/// once and every caller waits for that one load. Each load has a generation number, so that a caller who
/// found the cached table out of date can ask for a newer one without every other caller reloading it again.
final class BlockIndexCache: Sendable {
    typealias Table = [BlockID: BlockLocation]

    private struct State {
        /// The generation of `loading` (or of the last table, once dropped).
        var generation = 0
        /// The table being loaded, or loaded; `nil` before the first use and after ``invalidate()``.
        var loading: Task<Table, any Error>?
    }

    private let state = Mutex(State())

    /// Where the index places a block, and the generation of the table that said so.
    /// - Parameters:
    ///   - newerThan: when given, a table of this generation or older is not used: it is reloaded once.
    ///   - loader: reads the whole index; runs at most once per generation.
    func lookup(
        _ id: BlockID,
        newerThan stale: Int? = nil,
        loader: @escaping @Sendable () async throws -> Table
    ) async throws -> (location: BlockLocation?, generation: Int) {
        let (task, generation) = state.withLock { state in
            if let task = state.loading, stale.map({ state.generation > $0 }) ?? true {
                return (task, state.generation)
            }
            state.generation += 1
            let task = Task { try await loader() }
            state.loading = task
            return (task, state.generation)
        }
        do {
            return (try await task.value[id], generation)
        } catch {
            // A failed load is not cached: the next lookup tries again.
            state.withLock { state in
                if state.generation == generation { state.loading = nil }
            }
            throw error
        }
    }

    /// Drops the table; the next lookup loads a new one.
    func invalidate() {
        state.withLock { $0.loading = nil }
    }
}
