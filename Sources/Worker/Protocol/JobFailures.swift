import AzureKit
import BackupRepository
import WorkerProtocol

/// The reply form of whatever ended a job.
enum JobFailures {
    /// The protocol's failure for `error`, met while running a job on repository account `account`.
    static func failure(_ error: any Error, account: String) -> JobFailure {
        switch error {
        case let failure as WorkerFailure:
            return JobFailure(
                failureClass(failure.failureClass),
                code: FailureCode(rawValue: failure.code),
                reason: failure.reason
            )
        case let error as SealError:
            return JobFailure(.permanent, code: .sealBroken, reason: "a sealed field cannot be opened: \(error)")
        case let error as LockError where error.code == .locked:
            return JobFailure(.transient, code: .repositoryLocked, reason: "\(error)", retryAfterSeconds: 60)
        case let error as RepositoryError:
            switch error.code {
            case .wrongPassword:
                return JobFailure(.permanent, code: .wrongPassword, reason: error.message)
            case .damagedObject, .missingObject:
                return JobFailure(.permanent, code: .repositoryDamaged, reason: error.description)
            case .notARepository, .restorePointNotFound:
                return JobFailure(.permanent, code: .notFound, reason: error.description)
            case .invalidArgument:
                return JobFailure(.permanent, code: .invalidJob, reason: error.description)
            default:
                if let underlying = error.underlying { return failure(underlying, account: account) }
                return JobFailure(.transient, code: .internalError, reason: error.description)
            }
        case let error as AzureError:
            return failure(
                StorageFailures.failure(error, account: account, doing: "the repository's request"),
                account: account
            )
        default:
            return JobFailure(.transient, code: .internalError, reason: "the job failed: \(error)")
        }
    }

    static func failureClass(_ value: WorkerFailure.Class) -> JobFailure.FailureClass {
        value == .permanent ? .permanent : .transient
    }
}
