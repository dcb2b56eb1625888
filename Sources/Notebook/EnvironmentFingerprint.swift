import CommandRuntime
import DurableIO
import Foundation
import TensorCore

/// Where a session was recorded: the toolchain, the libraries, the operating system and the
/// processor. Figures match bit for bit only where these match; a replay elsewhere says so and
/// suggests `--tolerance`.
///
/// `fingerprint` is the ``ContentHash`` of the other fields, for a quick comparison.
public struct EnvironmentFingerprint: Hashable, Sendable, Codable {
  /// The Swift compiler the engine was built with, e.g. `6.3`.
  public internal(set) var swift: String
  /// The oneDNN version, e.g. `2.6.3`.
  public internal(set) var onednn: String
  /// OpenBLAS's configuration line (version and kernel).
  var openblas: String
  /// The operating system: kernel name and release, and the distribution when known.
  var os: String
  /// The processor model (`/proc/cpuinfo`'s `model name`).
  var cpu: String
  /// The number of processors online.
  public internal(set) var cores: Int
  /// The version of what the engine computes (``TensorCore/LibraryVersions/engineNumerics``);
  /// `nil` in sessions recorded before it was kept.
  public internal(set) var numerics: String?
  /// The hash of the fields above.
  public var fingerprint: String

  /// Creates a fingerprint from its fields (``fingerprint`` is computed).
  public init(
    swift: String, onednn: String, openblas: String, os: String, cpu: String, cores: Int,
    numerics: String? = nil
  ) {
    self.swift = swift
    self.onednn = onednn
    self.openblas = openblas
    self.os = os
    self.cpu = cpu
    self.cores = cores
    self.numerics = numerics
    self.fingerprint = ""
    self.fingerprint = computedFingerprint
  }

  /// The hash of the identifying fields.
  var computedFingerprint: String {
    // Without a numerics version, the hash is the one sessions recorded before it had.
    let fields = [swift, onednn, openblas, os, cpu, String(cores)] + (numerics.map { [$0] } ?? [])
    let text = fields.joined(separator: "\n")
    return ContentHash.hex(Array(text.utf8))
  }

  /// The environment of this process.
  public static func current() -> EnvironmentFingerprint {
    EnvironmentFingerprint(
      swift: swiftVersion, onednn: onednnVersion, openblas: openblasConfig, os: operatingSystem,
      cpu: processorModel, cores: ProcessInfo.processInfo.activeProcessorCount,
      numerics: LibraryVersions.engineNumerics)
  }

  /// The fields that differ from `other`, as `name: here vs there`.
  public func differences(from other: EnvironmentFingerprint) -> [String] {
    var lines: [String] = []
    func compare(_ name: String, _ a: String, _ b: String) {
      if a != b { lines.append("\(name): \(a) vs \(b)") }
    }
    compare("swift", swift, other.swift)
    compare("oneDNN", onednn, other.onednn)
    compare("OpenBLAS", openblas, other.openblas)
    compare("os", os, other.os)
    compare("cpu", cpu, other.cpu)
    compare("cores", String(cores), String(other.cores))
    compare("numerics", numerics ?? "none recorded", other.numerics ?? "none recorded")
    return lines
  }

  static var swiftVersion: String {
    #if compiler(>=6.4)
      return "6.4 or later"
    #elseif compiler(>=6.3)
      return "6.3"
    #elseif compiler(>=6.2)
      return "6.2"
    #elseif compiler(>=6.1)
      return "6.1"
    #else
      return "6.0"
    #endif
  }

  static var onednnVersion: String { LibraryVersions.oneDNN }

  static var openblasConfig: String { LibraryVersions.openBLAS }

  static var operatingSystem: String {
    var name = utsname()
    uname(&name)
    func field<T>(_ value: T) -> String {
      withUnsafeBytes(of: value) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
    }
    var text = field(name.sysname) + " " + field(name.release) + " " + field(name.machine)
    if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
      for line in release.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
        let value = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(
          in: CharacterSet(charactersIn: "\""))
        text += ", " + value
      }
    }
    return text
  }

  static var processorModel: String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return "unknown"
    }
    for line in info.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return "unknown"
  }
}
