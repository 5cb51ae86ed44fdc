import Foundation

/// Turns block plaintext into stored bytes and back: identity, zstd compression (kept only when it helps)
/// and sealing.
struct BlockCodec: Sendable {
    let cipher: ObjectCipher
    let contexts: ZstdContextPool

    /// A block ready to be packed.
    struct Encoded: Sendable {
        var id: BlockID
        var flags: BlockFlags
        var rawLength: Int
        var sealed: Data
    }

    init(keys: RepositoryKeys, compressionLevel: Int) {
        cipher = ObjectCipher(keys: keys)
        contexts = ZstdContextPool(level: Int32(compressionLevel))
    }

    func identity(of raw: UnsafeRawBufferPointer) -> BlockID {
        cipher.keys.identity(of: raw)
    }

    /// Compresses (when worthwhile) and seals a block whose identity is already known.
    func encode(_ raw: UnsafeRawBufferPointer, id: BlockID, kind: BlockFlags = []) throws -> Encoded {
        try contexts.withContext { context in
            // Keep the raw bytes unless zstd saves at least 1/32 of the block.
            let limit = raw.count - raw.count / 32
            if let compressed = context.compress(raw, limit: limit) {
                let flags = kind.union(.compressed)
                let sealed = try cipher.sealBlock(compressed, id: id, flags: flags.rawValue)
                return Encoded(id: id, flags: flags, rawLength: raw.count, sealed: sealed)
            }
            let sealed = try cipher.sealBlock(raw, id: id, flags: kind.rawValue)
            return Encoded(id: id, flags: kind, rawLength: raw.count, sealed: sealed)
        }
    }

    /// Opens, decompresses and checks one stored block. Returns `nil` when it fails authentication or decoding.
    func decode(_ sealed: Data, id: BlockID, flags: BlockFlags, rawLength: Int, verifyIdentity: Bool) -> Data? {
        guard let payload = cipher.openBlock(sealed, id: id, flags: flags.rawValue) else { return nil }
        var plain: Data
        if flags.contains(.compressed) {
            plain = Data(count: rawLength)
            let ok = plain.withUnsafeMutableBytes { output in
                payload.withUnsafeBytes { input in
                    contexts.withContext { $0.decompress(input, into: output) }
                }
            }
            guard ok else { return nil }
        } else {
            guard payload.count == rawLength else { return nil }
            plain = payload
        }
        if verifyIdentity || !cipher.keys.isEncrypted {
            guard cipher.keys.identity(of: plain) == id else { return nil }
        }
        return plain
    }
}

/// Whether every byte of `bytes` is zero, checked eight bytes at a time.
func isAllZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let count = bytes.count
    guard let base = bytes.baseAddress else { return true }
    var offset = 0
    // Quick rejection on the first and last words before the full scan.
    if count >= 8 {
        if base.loadUnaligned(as: UInt64.self) != 0 { return false }
        if base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) != 0 { return false }
    }
    var accumulator: UInt64 = 0
    while offset + 32 <= count {
        accumulator |= base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        accumulator |= base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
        accumulator |= base.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)
        accumulator |= base.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)
        if accumulator != 0 { return false }
        offset += 32
    }
    while offset < count {
        if base.load(fromByteOffset: offset, as: UInt8.self) != 0 { return false }
        offset += 1
    }
    return true
}
