import CommandLanguage
import CommandRuntime
import Testing

@Suite("Archiving values and restoring bindings")
struct ArchiveTests {
  /// Archives the binding `name`, restores it as `name2`, and checks type, figures and hash.
  private func roundTrip(_ runtime: Runtime, _ name: String) throws -> any Value {
    let binding = try #require(runtime.environment[name])
    let bytes = try binding.value.archive()
    try runtime.restore(name + "2", type: binding.value.type, bytes: bytes)
    let restored = try #require(runtime.environment[name + "2"])
    #expect(restored.value.type == binding.value.type, "\(name)")
    #expect(restored.value.figures == binding.value.figures, "\(name)")
    #expect(restored.hash == binding.hash, "\(name)")
    #expect(restored.value.summary == binding.value.summary, "\(name)")
    #expect(restored.cell == 0)
    return restored.value
  }

  @Test("every kind of value restores with the same figures and hash")
  func everyKind() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(
      runtime,
      [
        Fixtures.data, Fixtures.model, Fixtures.train, "e = eval m on d", "s = score m by fpgm",
        "c = taylor", "cs = [l1, bn]", "n = 0.25", "t = \"text\"", "b = false",
        "ns = [1, 2.5, 50%]",
      ])
    let data = try roundTrip(runtime, "d")
    let original = try #require(runtime.environment["d"]?.value as? DatasetValue)
    let reloaded = try #require(data as? DatasetValue)
    // The recipe regenerates the very same images and labels.
    #expect(reloaded.dataset == original.dataset)

    let model = try #require(try roundTrip(runtime, "m") as? ModelValue)
    let trained = try #require(runtime.environment["m"]?.value as? ModelValue)
    #expect(
      model.network.parameters.mapValues(\.scalars)
        == trained.network.parameters.mapValues(\.scalars))
    #expect(model.metadata["history"]?.contains("train on synthetic") == true)

    for name in ["e", "s", "c", "cs", "n", "t", "b", "ns"] {
      _ = try roundTrip(runtime, name)
    }
    let list = try #require(runtime.environment["cs2"]?.value as? ListValue)
    #expect(list.type == .list(of: .criterion))
    #expect(list.elements.map(\.summary) == ["l1", "bn"])
  }

  @Test("a subset of a data set restores the same selection")
  func subsetRecipe() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, ["d = data synthetic count=200 train=50 test=20 selection=random"])
    let restored = try #require(try roundTrip(runtime, "d") as? DatasetValue)
    #expect(restored.dataset.train.count == 50)
    #expect(restored.recipe.selection == .random)
  }

  @Test("a symbol value (a layer) restores as a word of its type")
  func symbol() throws {
    let (runtime, _) = try Fixtures.runtime()
    let value = SymbolValue("features.0.conv", type: .layer)
    try runtime.bind("l", value)
    let restored = try roundTrip(runtime, "l")
    #expect((restored as? SymbolValue)?.word == "features.0.conv")
  }

  @Test("a damaged archive is an error, not a crash")
  func damaged() throws {
    let (runtime, _) = try Fixtures.runtime()
    #expect(throws: (any Error).self) {
      try runtime.restore("m", type: .model, bytes: Array("SHEARSCK but cut".utf8))
    }
    #expect(throws: RuntimeError.self) {
      try runtime.restore("s", type: .scores, bytes: Array("{not json".utf8))
    }
    #expect(runtime.environment.names.isEmpty)
  }
}
