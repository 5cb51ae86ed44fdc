import Foundation

#if FUZZING
/// libFuzzer's driver; with `-sanitize=fuzzer` the toolchain links it, and this target's `main` starts it.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// One libFuzzer input (the symbol libFuzzer's runtime requires).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    FuzzNTFS.runBlocking(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif

/// Built with `-sanitize=fuzzer -DFUZZING`: runs libFuzzer with the command line's options and corpus.
/// Otherwise: replays the inputs named on the command line (a crash reproducer or a corpus).
@main
enum FuzzNTFSMain {
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
        #else
        for path in CommandLine.arguments.dropFirst() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            FuzzNTFS.runBlocking(bytes)
            print("replayed \(path) (\(bytes.count) bytes)")
        }
        #endif
    }
}
