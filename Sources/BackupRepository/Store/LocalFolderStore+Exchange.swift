import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The atomic swap behind ``PutMode/replaceExisting``.
///
/// A check that the object exists followed by a rename would race with a delete between the two and write the
/// object back. Instead the new file and the object trade names in one step (`renameat2` with
/// `RENAME_EXCHANGE` on Linux, `renamex_np` with `RENAME_SWAP` on Darwin), which fails with `ENOENT` when the
/// object is gone: a delete either happens before the swap (nothing is written) or after it (the new contents
/// are deleted). The file swapped out is then checked to be an object file and removed by the caller.
extension LocalFolderStore {
    /// Swaps the file `temporary` with the object at `path`; afterwards `temporary` names the previous object.
    /// - Throws: ``ObjectStoreError`` with ``ObjectStoreError/Code/notFound`` when no object exists at `path`.
    func exchange(_ temporary: String, withObjectAt path: String, key: String) throws {
        guard Self.swapNames(temporary, path) == 0 else {
            let code = Errno(rawValue: errno)
            if code == .noSuchFileOrDirectory || code == .notDirectory {
                throw ObjectStoreError(.notFound, key: key, location: root, message: "the object does not exist")
            }
            throw failure(code, key: key, operation: "swap into place")
        }
        var status = stat()
        guard lstat(temporary, &status) == 0, status.isRegularFile else {
            // Not an object (a folder of other keys): put it back where it was, untouched.
            _ = Self.swapNames(temporary, path)
            throw ObjectStoreError(.notFound, key: key, location: root, message: "the object does not exist")
        }
    }

    /// Atomically exchanges the names of two existing files; returns 0, or -1 with `errno` set.
    private static func swapNames(_ first: String, _ second: String) -> Int32 {
        #if os(Linux)
        guard let renameat2 = Self.renameat2 else {
            errno = ENOSYS
            return -1
        }
        return renameat2(AT_FDCWD, first, AT_FDCWD, second, renameExchange)
        #elseif canImport(Darwin)
        return renamex_np(first, second, UInt32(RENAME_SWAP))
        #else
        errno = ENOSYS
        return -1
        #endif
    }

    #if os(Linux)
    /// `RENAME_EXCHANGE` of `<linux/fs.h>`.
    private static let renameExchange: UInt32 = 1 << 1

    private typealias RenameAt2 =
        @convention(c) (
            Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
        ) -> Int32

    /// glibc's `renameat2` (2.28 and later), looked up at run time: Swift's Glibc module does not declare it.
    private static let renameat2: RenameAt2? = {
        guard let symbol = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
    #endif
}
