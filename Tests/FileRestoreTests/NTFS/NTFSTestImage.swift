import Foundation

/// An NTFS image built with mkntfs and ntfscp (no mounting), with what each file should read back as.
struct NTFSTestImage: Sendable {
    /// A file copied in and its expected contents.
    struct File: Sendable {
        let name: String
        let bytes: [UInt8]
        /// The modification time set on the source when `ntfscp -t` copied it.
        let modified: Date?
    }

    /// The image's bytes.
    let bytes: [UInt8]
    /// Where the image file lies (for file-backed reads).
    let path: String
    let files: [File]
    /// The names of the many small files that give the root folder an `$INDEX_ALLOCATION`.
    let manyNames: [String]

    static let manyCount = 1000
    static let sourceTime = Date(timeIntervalSince1970: 1_620_284_889)

    /// The image every NTFS test reads, built once per test run.
    static let shared = Task { try await NTFSTools.offPool { try build() } }

    /// Deterministic pseudo-random bytes.
    static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var mixed = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            mixed ^= mixed >> 31
            withUnsafeBytes(of: mixed.littleEndian) { bytes += $0 }
        }
        return Array(bytes.prefix(count))
    }

    private static func build() throws -> NTFSTestImage {
        try NTFSTools.ensureInstalled()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ntfs-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let image = folder.appendingPathComponent("volume.img").path
        _ = FileManager.default.createFile(atPath: image, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: image))
        try handle.truncate(atOffset: 64 << 20)
        try handle.close()
        try NTFSTools.run("mkntfs", ["-F", "-f", "-q", "-L", "Nimbus", image])

        var files: [File] = []
        var sourceIndex = 0
        func copy(_ bytes: [UInt8], to name: String, stream: String? = nil, keepTime: Bool = false) throws {
            sourceIndex += 1
            let source = folder.appendingPathComponent("source-\(sourceIndex)")
            try Data(bytes).write(to: source)
            var arguments = ["-q"]
            if keepTime {
                try FileManager.default.setAttributes([.modificationDate: sourceTime], ofItemAtPath: source.path)
                arguments.append("-t")
            }
            if let stream { arguments += ["-N", stream] }
            try NTFSTools.run("ntfscp", arguments + [image, source.path, name])
        }
        func add(_ name: String, _ bytes: [UInt8], keepTime: Bool = false) throws {
            try copy(bytes, to: name, keepTime: keepTime)
            files.append(File(name: name, bytes: bytes, modified: keepTime ? sourceTime : nil))
        }

        // Sizes around the resident limit, the cluster size and a few MiB.
        try add("empty.txt", [])
        try add("tiny.txt", Array("hello, NTFS\n".utf8), keepTime: true)
        for size in [1, 600, 1000, 4095, 4096, 4097, 65539, 1_048_581, 5_000_000] {
            try add("size-\(size).bin", noise(size, seed: UInt64(size)), keepTime: size == 65539)
        }
        try add("Ünïcødé – 日本語のファイル名.txt", Array("unicode\n".utf8))
        try add("emoji 😀 name.txt", Array("astral plane\n".utf8))
        try add(String(repeating: "long name ", count: 24) + "end.txt", noise(3000, seed: 7))

        // A sparse file: 300,000 bytes of data, then extended to 10,000,000 bytes with a hole.
        let head = noise(300_000, seed: 11)
        try copy(head, to: "sparse.bin")
        try NTFSTools.run("ntfstruncate", ["-q", image, try inode("sparse.bin", image), "0x80", "10000000"])
        files.append(File(name: "sparse.bin", bytes: head + [UInt8](repeating: 0, count: 9_700_000), modified: nil))

        // A fragmented file: its clusters are allocated interleaved with another file's.
        try copy([], to: "fragmented.bin")
        try copy([], to: "spacer.bin")
        let fragments = 60
        for index in 0..<fragments {
            for name in ["fragmented.bin", "spacer.bin"] {
                try NTFSTools.run("ntfsfallocate", ["-l", "4096", "-o", "\(index * 4096)", image, name])
            }
        }
        // The same size as allocated, so ntfscp overwrites the clusters in place.
        let fragmented = noise(fragments * 4096, seed: 13)
        try copy(fragmented, to: "fragmented.bin")
        files.append(File(name: "fragmented.bin", bytes: fragmented, modified: nil))
        files.append(File(name: "spacer.bin", bytes: [UInt8](repeating: 0, count: fragments * 4096), modified: nil))

        // A file whose attributes spill into extension records through an attribute list: named streams
        // fill its record.
        try copy([], to: "streams.bin")
        for index in 1...12 { try copy(noise(150, seed: UInt64(100 + index)), to: "streams.bin", stream: "s\(index)") }
        let streamed = noise(20_000, seed: 17)
        try copy(streamed, to: "streams.bin")
        files.append(File(name: "streams.bin", bytes: streamed, modified: nil))

        // Enough names for a B-tree of index records under the root.
        var manyNames: [String] = []
        for index in 0..<manyCount {
            let name = "entry \(String(index, radix: 10)) of the folder with many files.txt"
            try copy(Array("entry \(index)\n".utf8), to: name)
            manyNames.append(name)
        }

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: image)))
        return NTFSTestImage(bytes: bytes, path: image, files: files, manyNames: manyNames)
    }

    /// The MFT record number of `name` in the root, from ntfsinfo.
    private static func inode(_ name: String, _ image: String) throws -> String {
        let text = try NTFSTools.run("ntfsinfo", ["-F", name, image])
        guard let range = text.range(of: #"Dumping Inode (\d+)"#, options: .regularExpression) else {
            throw NTFSTools.Failure(description: "ntfsinfo printed no inode for \(name)")
        }
        return String(text[range].split(separator: " ").last!)
    }
}
