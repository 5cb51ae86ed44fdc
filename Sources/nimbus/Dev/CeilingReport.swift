/// What `nimbus dev ceiling` measured: the engine's block codec alone over an image, on all cores.
struct CeilingReport: Codable, Sendable {
    var path: String
    var bytes: Int64
    var blockSize: Int
    var compressionLevel: Int
    var threads: Int
    var blocks: Int
    var zeroBlocks: Int
    var compressedBlocks: Int
    var sealedBytes: Int64
    var seconds: Double
    var mebibytesPerSecond: Double
}
