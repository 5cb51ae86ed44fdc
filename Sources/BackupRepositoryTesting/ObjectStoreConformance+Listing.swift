import BackupRepository
import Foundation

extension ObjectStoreConformance {
    func listingAcrossPages(_ root: String) async throws {
        let count = pageSize * 3 + 2
        let keys = (0..<count).map { root + "packs/" + String(format: "%02x", $0 % 5) + "/k\($0)" }
        let sizes = try await putAll(keys.shuffled())

        // Page by page: several pages, each ascending and each beyond the previous one.
        var paged: [String] = []
        var continuation: String?
        var pages = 0
        repeat {
            let page = try await store.list(prefix: root, continuation: continuation)
            pages += 1
            try require(
                page.objects.count <= pageSize,
                "a page held \(page.objects.count) objects, more than \(pageSize)"
            )
            paged += page.objects.map(\.key)
            continuation = page.continuation
            try require(pages <= count + 1, "the listing did not end after \(pages) pages")
        } while continuation != nil
        try require(pages >= 3, "\(count) objects came in \(pages) pages of at most \(pageSize)")
        try require(paged == keys.sorted(), "page by page the listing was \(paged), expected \(keys.sorted())")

        // The same through the lazy sequence, with the sizes written.
        var listed: [ObjectInfo] = []
        for try await object in store.objects(prefix: root) { listed.append(object) }
        try require(listed.map(\.key) == keys.sorted(), "the listing sequence returned \(listed.map(\.key))")
        for object in listed {
            try require(
                object.size == sizes[object.key],
                "\(object.key) was listed with size \(object.size), written with \(sizes[object.key] ?? -1)"
            )
        }
    }

    func listingPrefixes(_ root: String) async throws {
        let keys = [
            // No key is also the folder of another ("a" and "a/b"): a folder store cannot hold both.
            "a/b/c", "a/b/d", "a/bc", "a/c/d", "ab", "abc/d", "b/a", "index/1", "index/2", "packs/00/x",
            "packs/01/y", "packs/0a/z", "packs/10/w",
        ].map { root + $0 }
        try await putAll(keys)
        for prefix in ["", "a", "a/", "a/b", "a/b/", "ab", "packs/0", "packs/01/", "packs/1", "index/", "zz/", "a/b/c"]
        {
            var listed: [String] = []
            for try await object in store.objects(prefix: root + prefix) { listed.append(object.key) }
            let expected = keys.filter { $0.hasPrefix(root + prefix) }.sorted()
            try require(listed == expected, "prefix '\(prefix)' listed \(listed), expected \(expected)")
        }
        let empty = try await store.list(prefix: root + "nothing/", continuation: nil)
        try require(
            empty.objects.isEmpty && empty.continuation == nil,
            "an empty prefix gave \(empty.objects.count) objects and continuation \(empty.continuation ?? "nil")"
        )
    }
}
