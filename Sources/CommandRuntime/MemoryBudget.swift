import Foundation

/// Refuses a plan to allocate more memory than the machine has free, before anything is
/// allocated, so that a too-large model or batch is an error with a message (exit 3) rather
/// than a process killed for memory.
///
/// ```swift
/// try MemoryBudget.check(5 << 30, for: "a vgg16 of width 8", command: "model", limit: nil)
/// ```
public enum MemoryBudget {
  /// Throws ``RuntimeError/tooLarge(command:what:needed:available:)`` when `bytes` exceed
  /// `limit` (nil: the memory available now, see ``available()``).
  public static func check(_ bytes: Int, for what: String, command: String, limit: Int?) throws {
    guard let available = limit ?? self.available() else { return }
    if bytes > available {
      throw RuntimeError.tooLarge(command: command, what: what, needed: bytes, available: available)
    }
  }

  /// `MemAvailable` from `/proc/meminfo` in bytes; nil when it cannot be read.
  public static func available() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else {
      return nil
    }
    for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
      let fields = line.split(separator: " ")
      guard fields.count >= 2, let kibibytes = Int(fields[1]) else { return nil }
      return kibibytes.multipliedReportingOverflow(by: 1024).overflow ? Int.max : kibibytes * 1024
    }
    return nil
  }
}
