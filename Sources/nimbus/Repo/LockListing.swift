import BackupRepository
import Foundation

/// One lock as `nimbus repo locks` and `nimbus repo unlock` show it.
struct LockListing: Encodable {
    var key: String
    var kind: String?
    var purpose: String?
    var holder: String?
    var host: String?
    var pid: Int32?
    var created: Date?
    var refreshed: Date?
    /// `live`, `stale` (ignored by everyone, removed by `unlock --stale`) or `unreadable`.
    var state: String

    init(_ status: LockStatus) {
        key = status.key
        kind = status.record?.kind.rawValue
        purpose = status.record?.purpose
        holder = status.record?.holder
        host = status.record?.host
        pid = status.record?.pid
        created = status.record?.created
        refreshed = status.record?.refreshed ?? status.modified
        state = status.isStale ? "stale" : status.record == nil ? "unreadable" : "live"
    }

    /// The locks as a table, or a sentence when there are none.
    static func render(_ locks: [LockListing]) -> String {
        guard !locks.isEmpty else { return "no locks" }
        var table = TextTable(header: [
            "lock", "kind", "purpose", "holder", "host", "pid", "created (UTC)", "refreshed (UTC)", "state",
        ])
        for lock in locks {
            table.rows.append([
                String(lock.key.dropFirst(LockRecord.prefix.count).prefix(12)),
                lock.kind ?? "-",
                lock.purpose ?? "-",
                lock.holder ?? "-",
                lock.host ?? "-",
                lock.pid.map(String.init) ?? "-",
                lock.created.map(DateText.short) ?? "-",
                lock.refreshed.map(DateText.short) ?? "-",
                lock.state,
            ])
        }
        return table.render()
    }
}
