import Foundation
import Testing

@testable import BackupRepository

/// Sealed metadata of unencrypted repositories: `plaintext ‖ HMAC-SHA256(macKey, aad ‖ plaintext)`.
@Suite struct ObjectCipherTests {
    @Test func unencryptedMetadataOpensOnlyWhenTagPlaintextAndAssociatedDataAreIntact() throws {
        let cipher = ObjectCipher(keys: .random(encrypted: false))
        let plaintext = Data("restore point".utf8)
        let aad = Array("restorepoints/00".utf8)
        let sealed = try cipher.sealMetadata(plaintext, aad: aad)
        #expect(sealed.count == plaintext.count + cipher.metadataOverhead)
        #expect(cipher.openMetadata(sealed, aad: aad) == plaintext)
        #expect(cipher.openMetadata(sealed, aad: Array("restorepoints/01".utf8)) == nil, "other associated data")
        for index in sealed.indices {
            var altered = sealed
            altered[index] ^= 0x01
            #expect(cipher.openMetadata(altered, aad: aad) == nil, "a flipped bit at \(index) is refused")
        }
        #expect(cipher.openMetadata(sealed.prefix(sealed.count - 1), aad: aad) == nil, "a cut tag is refused")
        #expect(cipher.openMetadata(Data(count: 31), aad: aad) == nil, "shorter than a tag")
        #expect(cipher.openMetadata(Data(count: 32), aad: aad) == nil, "an all-zero tag over nothing")
    }
}
