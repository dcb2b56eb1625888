import Foundation

/// The Slurm commands an executor runs (`sbatch`, `squeue`, `scontrol`, `scancel`), found on
/// `PATH` and run through Foundation's `Process`; each failure is a
/// ``ClusterError/scheduler(command:problem:)`` with Slurm's own message.
///
/// ```swift
/// let slurm = try SlurmCommands()
/// let job = try slurm.submit(script: "/shared/job/round-0000/task.sh", arguments: ["--array=0-3"])
/// ```
public struct SlurmCommands: Sendable {
  /// Full paths of the four commands.
  public let sbatch: String
  public let squeue: String
  public let scontrol: String
  public let scancel: String

  /// Finds the commands on `PATH` (of `environment`).
  /// - Throws: ``ClusterError/scheduler(command:problem:)`` naming the missing one.
  public init(environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(ClusterError)
  {
    func find(_ name: String) throws(ClusterError) -> String {
      guard let path = SlurmCommands.which(name, environment: environment) else {
        throw .scheduler(
          command: name,
          problem: "not found on PATH; run on a Slurm login node (or start scripts/slurm-local)")
      }
      return path
    }
    sbatch = try find("sbatch")
    squeue = try find("squeue")
    scontrol = try find("scontrol")
    scancel = try find("scancel")
  }

  /// The full path of `name` on `PATH`, or nil.
  public static func which(
    _ name: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String? {
    let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Whether a Slurm controller answers here (`scontrol ping` says UP).
  public static func controllerResponds() -> Bool {
    guard let slurm = try? SlurmCommands(),
      let out = try? slurm.run(slurm.scontrol, ["ping"])
    else { return false }
    return out.contains("UP")
  }

  /// Submits `script` with `arguments` (`--parsable` added); returns the job id.
  public func submit(script: String, arguments: [String]) throws(ClusterError) -> String {
    let out = try run(sbatch, ["--parsable"] + arguments + [script])
    let id = out.split(separator: "\n").last.map {
      String($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
    }
    guard let id, !id.isEmpty, id.allSatisfy(\.isNumber) else {
      throw .scheduler(command: "sbatch", problem: "no job id in its answer: \(out)")
    }
    return id
  }

  /// The array indices of job `job` that Slurm still lists (pending, running, completing),
  /// with their state.
  public func activeTasks(job: String) throws(ClusterError) -> [Int: String] {
    let out: String
    do {
      out = try run(squeue, ["-h", "-r", "-j", job, "-o", "%i %T"])
    } catch {
      // squeue refuses a job id it no longer knows: nothing of it is active.
      if case .scheduler(_, let problem) = error, problem.contains("Invalid job id") {
        return [:]
      }
      throw error
    }
    var result: [Int: String] = [:]
    for line in out.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count == 2 else { continue }
      let id = fields[0]
      guard let underscore = id.lastIndex(of: "_"),
        let index = Int(id[id.index(after: underscore)...])
      else { continue }
      result[index] = String(fields[1])
    }
    return result
  }

  /// `JobState` and `ExitCode` of one array task (`scontrol show job JOB_INDEX`), when known.
  public func state(job: String, index: Int) -> String? {
    guard let out = try? run(scontrol, ["show", "job", "\(job)_\(index)"]) else { return nil }
    let fields = out.split(whereSeparator: { $0 == " " || $0 == "\n" })
    let wanted = fields.filter { $0.hasPrefix("JobState=") || $0.hasPrefix("ExitCode=") }
    return wanted.isEmpty ? nil : wanted.joined(separator: " ")
  }

  /// Cancels jobs (or `JOB_INDEX` array tasks).
  public func cancel(_ ids: [String]) throws(ClusterError) {
    guard !ids.isEmpty else { return }
    _ = try run(scancel, ids)
  }

  /// Runs `executable` with `arguments`; returns its standard output.
  func run(_ executable: String, _ arguments: [String]) throws(ClusterError) -> String {
    let name = executable.split(separator: "/").last.map(String.init) ?? executable
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw .scheduler(command: name, problem: "cannot start it: \(error)")
    }
    // Read both pipes before waiting, so a full pipe cannot block the child.
    let errData = ReadBuffer()
    let errThread = Thread { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
    errThread.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errData.done { usleep(1000) }
    let stdout = String(decoding: outData, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      let stderr = String(decoding: errData.data ?? Data(), as: UTF8.self)
      let message = (stderr.isEmpty ? stdout : stderr).trimmingCharacters(
        in: .whitespacesAndNewlines)
      throw .scheduler(
        command: ([name] + arguments).joined(separator: " "),
        problem: "exit status \(process.terminationStatus): \(message)")
    }
    return stdout
  }
}

/// Standard error of a child, filled by a reader thread.
private final class ReadBuffer: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Data?
  var data: Data? {
    get { lock.withLock { value } }
    set { lock.withLock { value = newValue } }
  }
  var done: Bool { data != nil }
}
