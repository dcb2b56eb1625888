import Foundation

/// The peak resident memory of this process (VmHWM of `/proc/self/status`).
public enum PeakMemory {
  /// Peak resident memory in MB, or 0 where `/proc` cannot be read.
  public static func megabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return 0
    }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
      return kb / 1024
    }
    return 0
  }
}
