import Appliance
import ArgumentParser
import BackupRepository
import FileRestore
import Foundation

/// Turns any error that reaches the top of the executable into a ``CommandFailure`` and prints it.
enum ErrorReport {
    /// Whether ArgumentParser should report this error itself (usage errors, help, exit codes).
    static func isArgumentParserError(_ error: any Error) -> Bool {
        if error is ValidationError || error is ExitCode || error is CleanExit { return true }
        // Help and version requests surface as the parser's own internal error types.
        return String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// The failure to report for an error: its kind decides the exit status.
    static func failure(for error: any Error) -> CommandFailure {
        switch error {
        case let failure as CommandFailure:
            return failure
        case let repositoryError as RepositoryError:
            return CommandFailure(code(for: repositoryError.code), repositoryError.description)
        case let lockError as LockError:
            return CommandFailure(lockError.code == .locked ? .locked : .failure, lockError.description)
        case let storeError as ObjectStoreError:
            let code: CommandFailure.Code =
                switch storeError.code {
                case .notFound: .damaged
                case .permissionDenied, .noSpace, .io: .io
                default: .failure
                }
            return CommandFailure(code, storeError.description)
        case let fileError as FileRestoreError:
            let code: CommandFailure.Code =
                switch fileError.code {
                case .damaged, .outOfBounds: .damaged
                case .notFound: .notFound
                default: .failure
                }
            return CommandFailure(code, fileError.message)
        case let applianceError as ApplianceError:
            let code: CommandFailure.Code =
                switch applianceError {
                case .notFound: .notFound
                case .corrupt: .damaged
                default: .failure
                }
            return CommandFailure(code, applianceError.description)
        case is CancellationError:
            return CommandFailure(.interrupted, "interrupted")
        default:
            return CommandFailure(.failure, String(describing: error))
        }
    }

    /// The exit kind of each engine error.
    static func code(for code: RepositoryError.Code) -> CommandFailure.Code {
        switch code {
        case .wrongPassword: .wrongPassword
        case .notARepository: .notARepository
        case .damagedObject, .missingObject: .damaged
        case .keyNotFound, .restorePointNotFound, .fileNotFound: .notFound
        case .sourceFailure, .io: .io
        default: .failure
        }
    }

    /// Prints a failure as `nimbus: error: …` on standard error, and as a JSON object on
    /// standard output when the command was asked for JSON.
    static func print(_ failure: CommandFailure, json: Bool) {
        Terminal.writeToStandardError("nimbus: error: \(failure.message)\n")
        if json {
            let body = ["error": ["code": failure.code.description, "message": failure.message]]
            if let text = try? OutputOptions.encode(body) { Swift.print(text) }
        }
    }
}
