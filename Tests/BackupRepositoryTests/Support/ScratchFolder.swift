import Foundation

/// A fresh folder under the system's temporary directory, removed by ``remove()``.
struct ScratchFolder: Sendable {
    let url: URL

    init(_ label: String = "nimbus-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
