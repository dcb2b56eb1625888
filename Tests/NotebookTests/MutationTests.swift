import CommandRuntime
import Foundation
import Notebook
import Testing

/// `replay --verify` of mutated sessions: every mutant is refused on reading, diverges, or
/// verifies — none crashes. Deterministic: the same seed makes the same mutants.
@Suite("Mutated sessions")
struct MutationTests {
  /// Cheap cells (no training) that still bind a data set, a model, a nested list and scores.
  static let inputs = [
    "d = data synthetic classes=2 size=8 count=16",
    "x = [1, [2, 3]]",
    "m = model vgg-small for d width=0.1",
    "s = score m by l1",
  ]

  /// Edits that crashed earlier builds, kept as regression fixtures: each is applied to the
  /// session's JSON object.
  static var regressions: [(name: String, edit: (inout [String: Any]) -> Void)] {
    [
      ("threads 0 (a precondition in the engine)", { set(&$0, ["options", "threads"], 0) }),
      ("width -5 (a negative repeat count)", { set(&$0, ["options", "width"], -5) }),
      ("data limit -1", { set(&$0, ["options", "dataLimit"], -1) }),
      ("cell number Int.min (overflow)", { setCell(&$0, 0, "number", Int.min) }),
      (
        "5000 open parentheses as an input",
        { setCell(&$0, 1, "input", String(repeating: "(", count: 5000)) }
      ),
      (
        "a type nested 100000 deep",
        {
          setBound(&$0, 0, "type", String(repeating: "List of ", count: 100_000) + "Number")
        }
      ),
      ("a blob name that is a path", { setBound(&$0, 0, "blob", "../../../../etc/passwd") }),
      (
        "an interrupted cell stopped at -3",
        {
          setCell(&$0, 1, "status", "interrupted")
          setCell(&$0, 1, "stoppedAt", -3)
        }
      ),
    ]
  }

  @Test("the regression fixtures are refused or diverge, without crashing")
  func regressionFixtures() throws {
    let folder = try TemporaryFolder()
    let path = try Self.record(in: folder)
    let original = try Fixtures.json(path)
    for (name, edit) in Self.regressions {
      var object = original
      edit(&object)
      try Fixtures.writeJSON(object, to: path)
      let verdict = Self.replay(path)
      #expect(verdict != .verified, "\(name)")
    }
  }

  @Test("400 mutants of a recorded session: each refused, diverging or verified, none crashes")
  func mutants() throws {
    let folder = try TemporaryFolder()
    let path = try Self.record(in: folder)
    let original = Fixtures.bytes(path)
    let object = try Fixtures.json(path)
    var rng = SplitMix(seed: 13)
    var verdicts: [Verdict: Int] = [:]
    for index in 0..<400 {
      let mutant: [UInt8]
      if index % 2 == 0 {
        mutant = Self.mutateBytes(original, rng: &rng)
      } else {
        var edited = object
        Self.mutateValue(&edited, rng: &rng)
        mutant = Array(try JSONSerialization.data(withJSONObject: edited, options: [.sortedKeys]))
      }
      try Fixtures.write(mutant, to: path)
      verdicts[Self.replay(path), default: 0] += 1
    }
    // Most mutants are caught; a few change nothing that matters (e.g. whitespace).
    #expect(verdicts[.refused, default: 0] + verdicts[.diverged, default: 0] > 300, "\(verdicts)")
  }

  // MARK: - Harness

  enum Verdict: Hashable { case refused, diverged, verified }

  /// Records ``inputs`` and saves them in `folder`.
  static func record(in folder: TemporaryFolder) throws -> String {
    let path = folder.path + "/m.json"
    try Fixtures.record(inputs).save(to: path, overwrite: false)
    return path
  }

  /// Loads, checks the blobs and replays with verify, as `shears replay --verify` does.
  static func replay(_ path: String) -> Verdict {
    do {
      let loaded = try SessionFile.load(path)
      try loaded.blobs.verify(loaded.session)
      let runtime = try Runtime(
        options: loaded.session.header.options.runtimeOptions, output: CollectingSink())
      let report = try Replayer(session: loaded.session, blobs: loaded.blobs)
        .run(on: runtime, verify: true)
      return report.divergence == nil ? .verified : .diverged
    } catch {
      return .refused
    }
  }

  /// Flips, deletes, duplicates or inserts bytes.
  static func mutateBytes(_ bytes: [UInt8], rng: inout SplitMix) -> [UInt8] {
    var out = bytes
    let position = rng.below(out.count)
    switch rng.below(4) {
    case 0: out[position] ^= UInt8(1 << rng.below(8))
    case 1: out.removeSubrange(position..<min(out.count, position + 1 + rng.below(16)))
    case 2:
      let end = min(out.count, position + 1 + rng.below(32))
      out.insert(contentsOf: out[position..<end], at: position)
    default: out.insert(contentsOf: Array("9".utf8) + [UInt8(48 + rng.below(10))], at: position)
    }
    return out
  }

  static var interesting: [Any] {
    [
      0, -1, 1, Int.max, Int.min, 1e308, -1e308, 0.5, "", "Nope", "List of Nope", "[[[[",
      String(repeating: "(", count: 300), String(repeating: "x", count: 5000), true, NSNull(),
      [Any](), ["a": 1], "interrupted", "error", "ok", "0123456789abcdef",
    ]
  }

  /// Replaces one leaf of the JSON (a random path) with an interesting value.
  static func mutateValue(_ object: inout [String: Any], rng: inout SplitMix) {
    func mutate(_ value: inout Any, depth: Int) {
      if var dictionary = value as? [String: Any], !dictionary.isEmpty, depth < 8,
        rng.below(4) != 0
      {
        let keys = dictionary.keys.sorted()
        let key = keys[rng.below(keys.count)]
        var child = dictionary[key]!
        mutate(&child, depth: depth + 1)
        dictionary[key] = child
        value = dictionary
      } else if var array = value as? [Any], !array.isEmpty, depth < 8, rng.below(4) != 0 {
        let index = rng.below(array.count)
        if rng.below(6) == 0 {
          array.remove(at: index)
        } else {
          mutate(&array[index], depth: depth + 1)
        }
        value = array
      } else {
        value = interesting[rng.below(interesting.count)]
      }
    }
    var root: Any = object
    mutate(&root, depth: 0)
    object = root as? [String: Any] ?? object
  }

  static func set(_ object: inout [String: Any], _ path: [String], _ value: Any) {
    guard let first = path.first else { return }
    if path.count == 1 {
      object[first] = value
    } else {
      var child = object[first] as? [String: Any] ?? [:]
      set(&child, Array(path.dropFirst()), value)
      object[first] = child
    }
  }

  static func setCell(_ object: inout [String: Any], _ index: Int, _ key: String, _ value: Any) {
    guard var cells = object["cells"] as? [[String: Any]], index < cells.count else { return }
    cells[index][key] = value
    object["cells"] = cells
  }

  static func setBound(_ object: inout [String: Any], _ cell: Int, _ key: String, _ value: Any) {
    guard var cells = object["cells"] as? [[String: Any]], cell < cells.count,
      var bound = cells[cell]["bound"] as? [[String: Any]], !bound.isEmpty
    else { return }
    bound[0][key] = value
    cells[cell]["bound"] = bound
    object["cells"] = cells
  }
}

/// SplitMix64 (Steele et al. 2014): a tiny deterministic generator for the mutants.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}
