import ArgumentParser
import Notebook

/// Shows a session error on standard error and gives the exit status it maps to: 5 for a
/// damaged session (truncated or invalid JSON, not a session, a newer format, a missing or
/// changed blob, a value that does not restore), 1 for a file that cannot be read or written
/// and for anything else.
func sessionFailure(_ error: any Error) -> ExitCode {
  Console.error("error: \(error)")
  guard let error = error as? NotebookError else { return ExitCode(ExitStatus.usage) }
  switch error {
  case .unreadable, .cannotWrite, .exists, .noSuchCell:
    return ExitCode(ExitStatus.usage)
  case .truncated, .invalidJSON, .notASession, .futureFormat, .pastFormat, .chainBroken,
    .invalidSession,
    .invalidJournalLine, .missingBlob, .blobHashMismatch, .restoredHashMismatch, .cannotRestore:
    return ExitCode(ExitStatus.badSession)
  }
}
