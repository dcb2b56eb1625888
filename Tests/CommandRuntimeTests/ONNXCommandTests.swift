import CommandRuntime
import DurableIO
import Foundation
import NeuralNet
import ONNX
import Testing

/// `save … to "x.onnx"` and `load "x.onnx"` in the shell's language.
@Suite struct ONNXCommandTests {
  @Test("save as ONNX, load it back: the same weights and the same evaluation")
  func saveAndLoadONNX() throws {
    let folder = try Fixtures.TemporaryFolder()
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let path = folder.path + "/m.onnx"
    let saved = Fixtures.run(runtime, ["save m to \"\(path)\" data=d"])
    #expect(saved[0].renderedText.contains("takes raw [0, 1] images"))
    let loaded = Fixtures.run(runtime, ["m2 = load \"\(path)\""])
    #expect(loaded[0].renderedText.contains("the graph normalised its input"))
    let original = try #require(runtime.environment["m"]?.value as? ModelValue)
    let back = try #require(runtime.environment["m2"]?.value as? ModelValue)
    #expect(back.network.nodes == original.network.nodes)
    #expect(
      back.network.parameters.mapValues(\.scalars)
        == original.network.parameters.mapValues(\.scalars))
    #expect(back.metadata["history"]?.hasSuffix("load \(path) (ONNX from Shears 0.1.0)") == true)
    let a = Fixtures.run(runtime, ["eval m on d"])[0]
    let b = Fixtures.run(runtime, ["eval m2 on d"])[0]
    #expect(a.figures == b.figures)
  }

  @Test("format=onnx whatever the extension; a re-export keeps the normalisation")
  func explicitFormat() throws {
    let folder = try Fixtures.TemporaryFolder()
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let first = folder.path + "/m.bin"
    let second = folder.path + "/again.onnx"
    Fixtures.run(
      runtime,
      [
        "save m to \"\(first)\" format=onnx data=d", "m2 = load \"\(first)\" format=onnx",
        "save m2 to \"\(second)\"",
      ])
    let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
    #expect(!bytes.starts(with: Array("SHEARSCK".utf8)))
    let again = Fixtures.run(runtime, ["m3 = load \"\(second)\""])[0]
    #expect(again.renderedText.contains("the graph normalised its input"))
  }

  @Test(
    "a pruned model's file names the plan that pruned it (content hash) and the cell, and keeps them"
  )
  func planProvenance() throws {
    let folder = try Fixtures.TemporaryFolder()
    let (runtime, _) = try Fixtures.runtime()
    let path = folder.path + "/pruned.onnx"
    let outcomes = Fixtures.run(
      runtime,
      [
        Fixtures.data, Fixtures.model, "p = plan m by l1 ratio=50%", "m2 = prune m with p",
        "save m2 to \"\(path)\" data=d", "m3 = load \"\(path)\"",
      ])
    // The file names the session cell that wrote it (the fifth cell here).
    let imported = try ONNXImporter.load(from: path)
    #expect(outcomes[4].number == 5)
    #expect(imported.metadata["shears.cell"] == "5")
    let plan = try #require(runtime.environment["p"]?.value as? PlanValue)
    let pruned = try #require(runtime.environment["m2"]?.value as? ModelValue)
    let loaded = try #require(runtime.environment["m3"]?.value as? ModelValue)
    #expect(pruned.metadata[ModelValue.planKey] == ContentHash.hex(try plan.archive()))
    #expect(loaded.metadata[ModelValue.planKey] == pruned.metadata[ModelValue.planKey])
    #expect(loaded.network.nodes == pruned.network.nodes)
  }

  @Test("a bad ONNX file is a runtime error naming the problem, and nothing is bound")
  func badFile() throws {
    let folder = try Fixtures.TemporaryFolder()
    let (runtime, _) = try Fixtures.runtime()
    let path = folder.path + "/bad.onnx"
    try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
    let outcome = runtime.execute("m = load \"\(path)\"")
    guard case .error(.runtime, let message) = outcome.status else {
      Issue.record("expected a runtime error, got \(outcome.status)")
      return
    }
    #expect(message.contains("not an ONNX file"))
    #expect(runtime.environment["m"] == nil)
  }
}
