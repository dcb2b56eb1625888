import CBLAS
import CDNNL

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
}
