import Foundation
import Glibc

/// A program running on its own pseudo-terminal, driven like a user at a keyboard (in the
/// manner of `expect`).
///
/// The program becomes the leader of a new session whose controlling terminal is the pty, so
/// it sees a real terminal (`isatty` is true, Ctrl-C raises SIGINT from the line discipline,
/// libedit edits lines). The environment is exactly the one given, plus `TERM=xterm` unless it
/// names another `TERM`; the window is `rows` × `columns` (24 × 80 by default).
///
/// ```swift
/// let terminal = try PseudoTerminal(executable: demoPath, environment: ["HOME": home])
/// try terminal.waitForPrompt("demo> ")  // the prompt, and the editor reading keys
/// try terminal.send("hello\r")
/// try terminal.waitFor("you typed: hello")
/// try terminal.waitForPrompt("demo> ")
/// try terminal.send("\u{04}")  // Ctrl-D
/// #expect(try terminal.waitForExit() == .exited(0))
/// ```
///
/// Keys are raw bytes: `"\r"` Enter, `"\t"` Tab, `"\u{7f}"` Backspace, `"\u{1b}[A"` Up,
/// `"\u{03}"` Ctrl-C, `"\u{04}"` Ctrl-D, `"\u{12}"` Ctrl-R. Send keys to a line editor only
/// after ``waitForPrompt(_:timeout:)`` (see there why).
public final class PseudoTerminal {
  /// How the program ended.
  public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    /// It called `exit` with this status.
    case exited(Int32)
    /// A signal with this number ended it.
    case signaled(Int32)

    public var description: String {
      switch self {
      case .exited(let code): return "exited with status \(code)"
      case .signaled(let signal): return "killed by signal \(signal)"
      }
    }
  }

  /// The process id of the program.
  public let processID: pid_t
  /// The path that was started.
  public let executable: String

  private var master: Int32
  private var bytes: [UInt8] = []
  private var consumed = 0
  private var reachedEnd = false
  private var status: ExitStatus?

  /// Starts `executable` (an absolute path) with `arguments` on a new pseudo-terminal, in
  /// `workingDirectory` (the current one when `nil`).
  ///
  /// - Throws: ``PseudoTerminalError/openFailed(reason:)`` when no pty can be opened,
  ///   ``PseudoTerminalError/spawnFailed(path:reason:)`` when the program cannot be started.
  public init(
    executable: String, arguments: [String] = [], environment: [String: String] = [:],
    workingDirectory: String? = nil, rows: UInt16 = 24, columns: UInt16 = 80
  ) throws(PseudoTerminalError) {
    self.executable = executable
    var masterFD: Int32 = -1
    var slaveFD: Int32 = -1
    var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    if openpty(&masterFD, &slaveFD, nil, nil, &size) != 0 {
      throw .openFailed(reason: PseudoTerminal.describe(errno))
    }
    defer { close(slaveFD) }
    // Neither descriptor may leak into the program: it gets the slave by opening its path.
    _ = fcntl(masterFD, F_SETFD, FD_CLOEXEC)
    _ = fcntl(slaveFD, F_SETFD, FD_CLOEXEC)
    var nameBuffer = [CChar](repeating: 0, count: 256)
    if ttyname_r(slaveFD, &nameBuffer, nameBuffer.count) != 0 {
      close(masterFD)
      throw .openFailed(reason: "cannot name the pty: \(PseudoTerminal.describe(errno))")
    }
    // A 256-byte buffer always has a base address.
    let slavePath = nameBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }

    var environment = environment
    if environment["TERM"] == nil {
      environment["TERM"] = "xterm"
    }
    let spawned = PseudoTerminal.spawn(
      executable: executable, arguments: arguments,
      environment: environment.map { "\($0.key)=\($0.value)" },
      workingDirectory: workingDirectory, slavePath: slavePath)
    switch spawned {
    case .success(let pid):
      self.processID = pid
      self.master = masterFD
    case .failure(let error):
      close(masterFD)
      throw .spawnFailed(path: executable, reason: PseudoTerminal.describe(error.code))
    }
  }

  deinit {
    terminate()
  }

  /// Everything the program has written so far (invalid UTF-8 replaced), escape codes included.
  public var output: String {
    String(decoding: bytes, as: UTF8.self)
  }

  /// Types `text` as raw bytes (see the type's documentation for control keys).
  ///
  /// - Throws: ``PseudoTerminalError/writeFailed(reason:)`` when the terminal is closed.
  public func send(_ text: String) throws(PseudoTerminalError) {
    let data = Array(text.utf8)
    var offset = 0
    while offset < data.count {
      let count = data[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR {
          continue
        }
        throw .writeFailed(reason: PseudoTerminal.describe(errno))
      }
      offset += count
    }
  }

  /// Reads output until the text after the previous match contains `substring`.
  ///
  /// Each match consumes the output up to its end, so successive calls find successive
  /// occurrences (a second `waitFor("demo> ")` waits for the next prompt).
  ///
  /// - Returns: the output from the end of the previous match to the end of this one.
  /// - Throws: ``PseudoTerminalError/timedOut(expected:seconds:output:)`` after `timeout`
  ///   seconds, ``PseudoTerminalError/endOfOutput(expected:output:)`` when the program closed
  ///   the terminal first.
  @discardableResult
  public func waitFor(_ substring: String, timeout: Double = 10) throws(PseudoTerminalError)
    -> String
  {
    let needle = Array(substring.utf8)
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      if let range = PseudoTerminal.find(needle, in: bytes, from: consumed) {
        let text = String(decoding: bytes[consumed..<range.upperBound], as: UTF8.self)
        consumed = range.upperBound
        return text
      }
      if reachedEnd {
        throw .endOfOutput(expected: substring, output: unconsumedOutput)
      }
      let remaining = deadline.timeIntervalSinceNow
      if remaining <= 0 {
        throw .timedOut(expected: substring, seconds: timeout, output: unconsumedOutput)
      }
      pump(milliseconds: Int32(min(remaining, 1) * 1000) + 1)
    }
  }

  /// Waits for `prompt` (as ``waitFor(_:timeout:)``) and then until the program is reading
  /// the terminal key by key, as a line editor does while it edits a line (see
  /// ``waitUntilReadingKeys(timeout:)``).
  ///
  /// libedit prints the prompt *before* it switches the terminal out of canonical mode, so
  /// keys sent right after the prompt appears could still meet the kernel's line discipline
  /// (which echoes them, holds them until Enter, and turns Ctrl-D into an end-of-file marker).
  /// Send keys to a line editor only after this returns.
  ///
  /// - Returns: the output consumed up to the end of the prompt.
  @discardableResult
  public func waitForPrompt(_ prompt: String, timeout: Double = 10) throws(PseudoTerminalError)
    -> String
  {
    let text = try waitFor(prompt, timeout: timeout)
    try waitUntilReadingKeys(timeout: timeout)
    return text
  }

  /// Waits until the terminal is out of canonical mode and the program is blocked reading its
  /// standard input: the moment a key, Ctrl-C included, reaches the line editor's `read`.
  ///
  /// A Ctrl-C that arrives while the editor is between two reads (just after echoing a key)
  /// is caught but does not end the `read` that follows, so send Ctrl-C only after this.
  /// Where `/proc/<pid>/syscall` cannot be read, it settles for canonical mode being off and
  /// then waits 50 ms.
  ///
  /// - Throws: ``PseudoTerminalError/notReading(seconds:output:)`` after `timeout` seconds.
  public func waitUntilReadingKeys(timeout: Double = 10) throws(PseudoTerminalError) {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      if isInCharacterMode {
        switch isBlockedReadingStandardInput {
        case true?: return
        case nil:
          usleep(50_000)
          return
        case false?: break
        }
      }
      if deadline.timeIntervalSinceNow <= 0 {
        throw .notReading(seconds: timeout, output: unconsumedOutput)
      }
      pump(milliseconds: 2)
    }
  }

  /// Whether the terminal is out of canonical mode (`ICANON` clear), as a line editor sets it
  /// while reading. On Linux the master side reports the slave's settings.
  var isInCharacterMode: Bool {
    var settings = termios()
    guard master >= 0, tcgetattr(master, &settings) == 0 else {
      return false
    }
    return settings.c_lflag & tcflag_t(ICANON) == 0
  }

  /// Whether the program is blocked in `read(0, …)`, from `/proc/<pid>/syscall` (Linux); `nil`
  /// when that file cannot be read.
  private var isBlockedReadingStandardInput: Bool? {
    guard let text = try? String(contentsOfFile: "/proc/\(processID)/syscall", encoding: .utf8)
    else {
      return nil
    }
    #if arch(arm64)
      let readNumber = "63"
    #else
      let readNumber = "0"
    #endif
    let fields = text.split(separator: " ")
    return fields.count > 1 && fields[0] == readNumber && fields[1] == "0x0"
  }

  /// Waits up to `timeout` seconds for the program to exit, reading its output meanwhile.
  ///
  /// - Throws: ``PseudoTerminalError/stillRunning(seconds:output:)`` when it has not exited.
  public func waitForExit(timeout: Double = 10) throws(PseudoTerminalError) -> ExitStatus {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      if let status = exitStatus {
        return status
      }
      let remaining = deadline.timeIntervalSinceNow
      if remaining <= 0 {
        throw .stillRunning(seconds: timeout, output: unconsumedOutput)
      }
      if reachedEnd {
        usleep(10_000)
      } else {
        pump(milliseconds: Int32(min(remaining, 0.05) * 1000) + 1)
      }
    }
  }

  /// How the program ended, or `nil` while it runs.
  public var exitStatus: ExitStatus? {
    if status == nil {
      var raw: Int32 = 0
      if waitpid(processID, &raw, WNOHANG) == processID {
        status = PseudoTerminal.decode(raw)
      }
    }
    return status
  }

  /// Kills the program (SIGKILL) if it still runs, reaps it and closes the terminal.
  public func terminate() {
    if status == nil {
      if exitStatus == nil {
        kill(processID, SIGKILL)
        var raw: Int32 = 0
        while waitpid(processID, &raw, 0) < 0 && errno == EINTR {}
        status = PseudoTerminal.decode(raw)
      }
    }
    if master >= 0 {
      close(master)
      master = -1
    }
  }

  /// The output not yet consumed by ``waitFor(_:timeout:)``.
  private var unconsumedOutput: String {
    String(decoding: bytes[consumed...], as: UTF8.self)
  }

  /// Reads whatever output arrives within `milliseconds`.
  private func pump(milliseconds: Int32) {
    guard master >= 0 else {
      reachedEnd = true
      return
    }
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    let ready = poll(&descriptor, 1, milliseconds)
    if ready <= 0 {
      return  // timeout, or EINTR: the caller checks its deadline and comes back
    }
    var chunk = [UInt8](repeating: 0, count: 4096)
    let count = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
    if count > 0 {
      bytes += chunk[0..<count]
    } else if count == 0 || errno != EINTR && errno != EAGAIN {
      reachedEnd = true  // EIO: every slave descriptor is closed, the program is gone
    }
  }

  /// Starts the child as a session leader whose standard streams are the pty slave.
  private static func spawn(
    executable: String, arguments: [String], environment: [String], workingDirectory: String?,
    slavePath: String
  ) -> Result<pid_t, SpawnError> {
    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
      posix_spawn_file_actions_destroy(&actions)
      posix_spawnattr_destroy(&attributes)
    }
    // The new session has no controlling terminal; opening the slave as its leader (without
    // O_NOCTTY) makes the pty its controlling terminal.
    posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    var defaults = sigset_t()
    sigfillset(&defaults)
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    // POSIX_SPAWN_SETSID is 0x80 in glibc's <spawn.h> (2.26 and later); Swift imports glibc
    // without _GNU_SOURCE, so the name is not visible.
    let setSessionID: Int32 = 0x80
    posix_spawnattr_setflags(
      &attributes, Int16(setSessionID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    // Changing directory goes through /bin/sh (posix_spawn_file_actions_addchdir_np is also
    // hidden behind _GNU_SOURCE); the shell execs the program, so the pid stays the program's.
    var program = executable
    var words = [executable] + arguments
    if let workingDirectory {
      program = "/bin/sh"
      words =
        [
          "/bin/sh", "-c", "cd -- \"$1\" || exit 127; shift; exec \"$@\"", "sh", workingDirectory,
        ] + words
    }
    let argv = words.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
    return result == 0 ? .success(pid) : .failure(SpawnError(code: result))
  }

  /// A `posix_spawn` error number.
  private struct SpawnError: Error {
    let code: Int32
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int)
    -> Range<Int>?
  {
    if needle.isEmpty {
      return start..<start
    }
    guard haystack.count - start >= needle.count else {
      return nil
    }
    for index in start...(haystack.count - needle.count)
    where haystack[index..<(index + needle.count)].elementsEqual(needle) {
      return index..<(index + needle.count)
    }
    return nil
  }

  private static func decode(_ raw: Int32) -> ExitStatus {
    raw & 0x7f == 0 ? .exited((raw >> 8) & 0xff) : .signaled(raw & 0x7f)
  }

  private static func describe(_ error: Int32) -> String {
    String(cString: strerror(error))
  }
}

/// Why driving a program on a pseudo-terminal failed.
public enum PseudoTerminalError: Error, CustomStringConvertible {
  /// No pseudo-terminal could be opened.
  case openFailed(reason: String)
  /// The program could not be started.
  case spawnFailed(path: String, reason: String)
  /// Typing into the terminal failed (the program has closed it).
  case writeFailed(reason: String)
  /// The expected text did not appear in time; `output` is what came after the last match.
  case timedOut(expected: String, seconds: Double, output: String)
  /// The program closed the terminal before the expected text appeared.
  case endOfOutput(expected: String, output: String)
  /// The program did not exit in time.
  case stillRunning(seconds: Double, output: String)
  /// The program did not start reading keys from the terminal in time.
  case notReading(seconds: Double, output: String)

  public var description: String {
    switch self {
    case .openFailed(let reason):
      return "cannot open a pseudo-terminal: \(reason)"
    case .spawnFailed(let path, let reason):
      return "cannot start \(path) on a pseudo-terminal: \(reason); build it first"
    case .writeFailed(let reason):
      return "cannot type into the pseudo-terminal: \(reason)"
    case .timedOut(let expected, let seconds, let output):
      return "waited \(seconds) s for \(Self.visible(expected)); the output since the previous"
        + " match was: \(Self.visible(output))"
    case .endOfOutput(let expected, let output):
      return "the program closed the terminal before printing \(Self.visible(expected));"
        + " the output since the previous match was: \(Self.visible(output))"
    case .notReading(let seconds, let output):
      return "the program did not start reading keys within \(seconds) s (the terminal stayed in"
        + " canonical mode or no read was pending); the output since the previous match was:"
        + " \(Self.visible(output))"
    case .stillRunning(let seconds, let output):
      return "the program did not exit within \(seconds) s; the output since the previous"
        + " match was: \(Self.visible(output))"
    }
  }

  /// `text` quoted, with control characters written as `\u{..}` so that logs show them.
  public static func visible(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      if scalar.value < 0x20 || scalar.value == 0x7f {
        result += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
