import Foundation
import Testing

@testable import Notebook

/// The environment a session records: what a replay compares, and files from earlier builds.
@Suite("Environment fingerprint")
struct EnvironmentFingerprintTests {
  /// A fingerprint as builds before the numerics version wrote it.
  static let earlier = """
    {"swift": "6.3", "onednn": "2.6.3", "openblas": "OpenBLAS 0.3.29 Haswell", \
    "os": "Linux 6.1 x86_64", "cpu": "Some CPU", "cores": 2, "fingerprint": "0123456789abcdef"}
    """

  @Test("a session from before the numerics version decodes, its hash unchanged by the new field")
  func earlierSessionsDecode() throws {
    let old = try JSONDecoder().decode(EnvironmentFingerprint.self, from: Data(Self.earlier.utf8))
    #expect(old.numerics == nil)
    let same = EnvironmentFingerprint(
      swift: "6.3", onednn: "2.6.3", openblas: "OpenBLAS 0.3.29 Haswell", os: "Linux 6.1 x86_64",
      cpu: "Some CPU", cores: 2)
    // The hash over the six fields, as before; naming a numerics version changes it.
    #expect(same.computedFingerprint == old.computedFingerprint)
    var named = same
    named.numerics = "numerics-2"
    #expect(named.computedFingerprint != same.computedFingerprint)
  }

  @Test("this build names its numerics version, and a replay lists it among the differences")
  func numericsVersionIsCompared() throws {
    let here = EnvironmentFingerprint.current()
    #expect(here.numerics?.isEmpty == false)
    let old = try JSONDecoder().decode(EnvironmentFingerprint.self, from: Data(Self.earlier.utf8))
    let lines = old.differences(from: here)
    #expect(lines.contains("numerics: none recorded vs \(here.numerics ?? "")"))
    #expect(here.differences(from: here).isEmpty)
    let text = String(decoding: try JSONEncoder().encode(here), as: UTF8.self)
    #expect(text.contains("\"numerics\""))
  }
}
