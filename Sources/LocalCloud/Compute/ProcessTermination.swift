/// How a script process ended.
enum ProcessTermination: Sendable, Equatable {
    /// It returned this exit code.
    case exited(code: Int32)
    /// A signal ended it.
    case signaled(signal: Int32)
    /// It ran past its time limit and was killed.
    case timedOut

    /// Decodes a status word as returned by `waitpid`.
    init(waitStatus: Int32) {
        let signal = waitStatus & 0x7f
        if signal == 0 {
            self = .exited(code: (waitStatus >> 8) & 0xff)
        } else {
            self = .signaled(signal: signal)
        }
    }

    /// The exit status a shell would report: the code, or 128 plus the signal number.
    var exitStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        case .timedOut: 124
        }
    }
}
