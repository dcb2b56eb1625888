import CBLAS
import CDNNL

#if canImport(Glibc)
  import Glibc
#endif

/// The versions of the numerical libraries TensorCore runs on, as the libraries report them at
/// run time (not the headers it was compiled against), for session fingerprints and bug
/// reports.
///
/// ```swift
/// LibraryVersions.oneDNN    // "3.0.0 (ae6a6bbd4a3b)"
/// LibraryVersions.openBLAS  // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"
/// ```
public enum LibraryVersions {
  /// oneDNN's `major.minor.patch`, with the first 12 digits of its commit when it has one;
  /// `unknown` when the library does not say.
  public static var oneDNN: String {
    guard let version = dnnl_version() else { return "unknown" }
    let v = version.pointee
    var text = "\(v.major).\(v.minor).\(v.patch)"
    if let hash = v.hash {
      let commit = String(cString: hash)
      if !commit.isEmpty && commit != "N/A" { text += " (\(commit.prefix(12)))" }
    }
    return text
  }

  /// OpenBLAS's configuration string (version, architecture, threading), trimmed; `unknown`
  /// when the library does not say.
  public static var openBLAS: String {
    guard let config = openblas_get_config() else { return "unknown" }
    var text = Substring(String(cString: config))
    while let c = text.first, c == " " || c == "\t" { text.removeFirst() }
    while let c = text.last, c == " " || c == "\t" { text.removeLast() }
    return String(text)
  }

  /// The version of what the engine computes: bumped when a change alters the bits of results
  /// (trained weights, scores, accuracies), so that a replay can say why a session recorded by
  /// an earlier build no longer matches. `numerics-2` (2026-12-06): batch-norm statistics summed
  /// in double precision, Winograd's rules by image size; sessions before it name none.
  /// `numerics-3`: a training batch norm feeding a residual add runs joined with it
  /// (BatchNorm+Residual.swift), which rounds the ResNets' training forward differently.
  public static let engineNumerics = "numerics-3"

  /// The version of the engine's own kernel paths (how TensorCore calls oneDNN: layouts,
  /// padding of narrow inputs, post-ops, and which passes run Winograd —
  /// ``ConvolutionAlgorithm``'s per-pass rules). Bump it when a change there can change a
  /// kernel's speed, so that cached latency measurements are taken again: conv-3 cached grids
  /// measured before the per-pass rules, when 16-channel layers ran a slower Winograd forward,
  /// and profiles that read them predicted whole networks 17–35% slower than measured; conv-4
  /// grids, before the rules took the image size into account (vgg16's 2×2 layers ran Winograd).
  public static let engineKernels = "tensorcore-conv-5"

  /// The CPU: `/proc/cpuinfo`'s model name and the ISA oneDNN dispatches to, e.g.
  /// `AMD EPYC 9R14 96-Core Processor; isa 0x5f7` (`unknown` parts when not available).
  public static var cpu: String {
    var model = "unknown"
    if let f = fopen("/proc/cpuinfo", "r") {
      defer { fclose(f) }
      var line: UnsafeMutablePointer<CChar>?
      var cap = 0
      defer { free(line) }
      while getline(&line, &cap, f) > 0, let l = line {
        let text = String(cString: l)
        if text.hasPrefix("model name"), let colon = text.firstIndex(of: ":") {
          model = String(text[text.index(after: colon)...]).shearsTrimmed(" \t\n")
          break
        }
      }
    }
    let isa = dnnl_get_effective_cpu_isa()
    return "\(model); isa 0x\(String(isa.rawValue, radix: 16))"
  }
}

extension String {
  fileprivate func shearsTrimmed(_ set: String) -> String {
    var s = Substring(self)
    while let c = s.first, set.contains(c) { s.removeFirst() }
    while let c = s.last, set.contains(c) { s.removeLast() }
    return String(s)
  }
}
