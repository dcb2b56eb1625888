import Foundation

// Built by scripts/fuzz with `-sanitize=fuzzer -DFUZZING`: libFuzzer's main calls the entry
// point below with each input, on the target named by SHEARS_FUZZ_TARGET. Built normally
// (swift build), `shears-fuzz TARGET FILE…` runs each file through the target once: how a
// crash found by the fuzzer is reproduced in a debugger.

#if FUZZING
  /// The target chosen by `SHEARS_FUZZ_TARGET`.
  let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["SHEARS_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
      let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
      FileHandle.standardError.write(Data("SHEARS_FUZZ_TARGET must be one of \(names)\n".utf8))
      exit(1)
    }
    return target
  }()

  /// libFuzzer's entry point.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget.run(bytes)
    return 0
  }
#else
  /// `shears-fuzz TARGET FILE…`: runs each file through the target.
  @main
  enum FuzzDriver {
    static func main() {
      let arguments = CommandLine.arguments.dropFirst()
      guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
        print("usage: shears-fuzz \(names) FILE…  (fuzzing itself: scripts/fuzz)")
        exit(1)
      }
      for path in arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
          print("cannot read \(path)")
          exit(1)
        }
        target.run(Array(data))
        print("\(path): ok")
      }
    }
  }
#endif
