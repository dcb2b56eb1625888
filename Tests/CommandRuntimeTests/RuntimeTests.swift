import CommandLanguage
import CommandRuntime
import Testing

@Suite("Running cells")
struct RuntimeTests {
  @Test("an assignment binds a typed value and reports its figures")
  func assignment() throws {
    let (runtime, sink) = try Fixtures.runtime()
    let outcome = runtime.execute(Fixtures.data)
    #expect(outcome.status == .ok)
    #expect(outcome.number == 1)
    #expect(outcome.resultType == "Dataset")
    #expect(outcome.boundName == "d")
    #expect(runtime.environment["d"]?.value.type == .dataset)
    // 128 train images; the test split is a quarter of them; 4 classes of 1×8×8.
    #expect(outcome.figures["train.count"] == .count(128))
    #expect(outcome.figures["test.count"] == .count(32))
    #expect(outcome.figures["classes"] == .count(4))
    #expect(outcome.figures["shape"] == .shape([1, 8, 8]))
    #expect(
      outcome.renderedText
        == "d: Dataset = synthetic: train 128×1×8×8, test 32×1×8×8, 4 classes, normalised")
    #expect(sink.text() == outcome.renderedText)
    #expect(outcome.bindingHashes.keys.sorted() == ["d"])
  }

  @Test("defaults fill what the call leaves out; for d sets the model's shape")
  func defaults() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data])
    let outcome = runtime.execute(Fixtures.model)
    #expect(outcome.status == .ok)
    // vgg-small's 32-32-64-64-128-128 at width 0.25; input and classes from d.
    #expect(outcome.figures["channels"] == .shape([8, 8, 16, 16, 32, 32]))
    #expect(outcome.figures["input"] == .shape([1, 8, 8]))
    // Conv weights 1·8·9 + 8·8·9 + 8·16·9 + 16·16·9 + 16·32·9 + 32·32·9 = 17928, batch norm
    // γ and β 2·(8+8+16+16+32+32) = 224, linear 32·4 + 4 = 132.
    #expect(outcome.figures["params"] == .count(17928 + 224 + 132))
    // train's defaults: batch 128 → one step of 128 images per epoch, one epoch.
    let trained = runtime.execute("m2 = train m on d lr=0.05")
    #expect(trained.status == .ok)
    #expect(trained.figures["train.images"] == .count(128))
    #expect(trained.renderedText.contains("epoch 1/1"))
  }

  @Test("model init=torch draws other conv weights of the same shapes; an unknown one is refused")
  func initialisation() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data])
    let he = runtime.execute(Fixtures.model)
    let torch = runtime.execute("t = model vgg-small for d width=0.25 init=torch")
    #expect(he.status == .ok && torch.status == .ok, "\(torch.renderedText)")
    #expect(torch.figures["params"] == he.figures["params"])
    #expect(torch.bindingHashes["t"] != he.bindingHashes["m"])
    #expect(runtime.execute("show t").renderedText.contains("torch init"))
    let before = runtime.environment.hashes
    let bad = runtime.execute("u = model vgg-small for d init=xavier")
    #expect(bad.status != .ok && bad.renderedText.contains("init"), "\(bad.renderedText)")
    #expect(runtime.environment.hashes == before)
  }

  @Test("an expression shows its value; a bare variable shows its summary")
  func expressions() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let shown = runtime.execute("eval m on d")
    #expect(shown.status == .ok)
    #expect(shown.resultType == "Metrics")
    #expect(shown.boundName == nil)
    #expect(shown.figures["count"] == .count(32))
    #expect(shown.renderedText.contains("| accuracy |"))
    let variable = runtime.execute("m")
    #expect(variable.renderedText.hasPrefix("m: Model = vgg-small 1×8×8 → 4 classes: 6 conv"))
    let nothing = runtime.execute("show d")
    #expect(nothing.resultType == "Nothing")
    #expect(nothing.figures.isEmpty)
  }

  @Test("a failing cell leaves the bindings of earlier cells as they were")
  func errorKeepsBindings() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let before = runtime.environment.hashes

    let typeError = runtime.execute("m = train d on d")
    guard case .error(.check, let text) = typeError.status else {
      Issue.record("expected a check error, got \(typeError.status)")
      return
    }
    #expect(
      text
        == """
        error: train expects a Model here, but d is a Dataset
         --> 1:11
          |
        1 | m = train d on d
          |           ^
        """)
    #expect(typeError.diagnostics.map(\.kind) == [.wrongType])

    let runtimeError = runtime.execute("m = load \"/nonexistent/shears/model.ckpt\"")
    guard case .error(.runtime, let message) = runtimeError.status else {
      Issue.record("expected a runtime error, got \(runtimeError.status)")
      return
    }
    #expect(message.hasPrefix("load: checkpoint /nonexistent/shears/model.ckpt"))
    #expect(runtimeError.renderedText.hasPrefix("error: load: "))
    #expect(runtime.environment.hashes == before)
    #expect(runtimeError.bindingHashes == before)
    // Cells are numbered on, errors included.
    #expect(runtimeError.number == 4)
  }

  @Test("a multi-statement cell stops at the first failing statement")
  func multiStatement() throws {
    let (runtime, _) = try Fixtures.runtime()
    let outcome = runtime.execute(Fixtures.data + "\nx = load \"/nonexistent.ckpt\"\ny = 3")
    #expect(outcome.status != .ok)
    #expect(runtime.environment["d"] != nil)
    #expect(runtime.environment["y"] == nil)
  }

  @Test("the same seed gives the same hashes and figures; another seed other weights")
  func determinism() throws {
    let script = [Fixtures.data, Fixtures.model, Fixtures.train, "s = score m by random"]
    func replay(seed: UInt64) throws -> [CellOutcome] {
      let (runtime, _) = try Fixtures.runtime(seed: seed)
      return Fixtures.run(runtime, script)
    }
    let first = try replay(seed: 11)
    let second = try replay(seed: 11)
    let other = try replay(seed: 12)
    for (a, b) in zip(first, second) {
      #expect(a.figures == b.figures, "\(a.input)")
      #expect(a.bindingHashes == b.bindingHashes, "\(a.input)")
    }
    #expect(first[3].bindingHashes.count == 3)
    #expect(first[1].bindingHashes["m"] != other[1].bindingHashes["m"])
    #expect(first[3].bindingHashes["s"] != other[3].bindingHashes["s"])
  }

  @Test("a statement draws the same bits after restoring its inputs for a replay")
  func cellGenerators() throws {
    let (first, _) = try Fixtures.runtime(seed: 5)
    let outcomes = Fixtures.run(first, [Fixtures.data, Fixtures.model])
    // A second runtime restores d as cell 1 bound it, then runs the model line as cell 2.
    let (second, _) = try Fixtures.runtime(seed: 5)
    let d = try #require(first.environment["d"])
    try second.restore("d", type: .dataset, bytes: try d.value.archive(), cell: 1)
    second.continueNumbering(after: 1)
    let replayed = second.execute(Fixtures.model)
    #expect(replayed.number == 2)
    #expect(replayed.bindingHashes == outcomes[1].bindingHashes)
  }

  @Test("the data limit caps every split and says so")
  func dataLimit() throws {
    let (runtime, sink) = try Fixtures.runtime(dataLimit: 40)
    let outcome = runtime.execute(Fixtures.data)
    #expect(outcome.figures["train.count"] == .count(40))
    #expect(outcome.figures["test.count"] == .count(32))
    #expect(
      sink.items.contains(
        .warning("the run's data limit keeps at most 40 train and 40 test images")))
  }

  @Test("train's cycle=true needs schedule=onecycle and a momentum it can swing")
  func cycledMomentum() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let before = runtime.environment.hashes
    for (line, text) in [
      ("m2 = train m on d cycle=true", "add schedule=onecycle"),
      ("m2 = train m on d schedule=onecycle cycle=true momentum=0.97", "outside 0…1"),
      ("m2 = train m on d schedule=onecycle cycle=true momentum=0.01", "outside 0…1"),
    ] {
      let outcome = runtime.execute(line)
      #expect(
        outcome.status != .ok && outcome.renderedText.contains(text), "\(outcome.renderedText)")
    }
    #expect(runtime.environment.hashes == before)
    let plain = runtime.execute("a = train m on d lr=0.05 batch=32 schedule=onecycle nesterov=true")
    let cycled = runtime.execute(
      "b = train m on d lr=0.05 batch=32 schedule=onecycle nesterov=true cycle=true")
    #expect(plain.status == .ok && cycled.status == .ok, "\(cycled.renderedText)")
    #expect(plain.bindingHashes["a"] != cycled.bindingHashes["b"])
  }

  @Test("data refuses subset sizes above the split and synthetic options for files")
  func dataErrors() throws {
    let (runtime, _) = try Fixtures.runtime()
    let tooMany = runtime.execute("d = data synthetic count=64 train=100")
    #expect(
      tooMany.status
        == .error(.runtime, "data: train: 100 is more than the 64 train images of synthetic"))
    let wrongOption = runtime.execute("d = data mnist path=\"/tmp\" classes=3")
    #expect(
      wrongOption.status
        == .error(
          .runtime,
          "data: classes: classes= applies to data synthetic only; mnist has a fixed shape"))
  }

  @Test("score needs data for data-driven criteria")
  func scoreNeedsData() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let outcome = runtime.execute("s = score m by taylor")
    #expect(
      outcome.status
        == .error(
          .runtime, "score: data: taylor reads images; give a data set: score m by taylor on d"))
    let scored = runtime.execute("s = score m by taylor on d batches=1 batch=16")
    #expect(scored.status == .ok)
    #expect(scored.figures["layers"] == .count(6))
    #expect(scored.figures["filters"] == .count(8 + 8 + 16 + 16 + 32 + 32))
  }

  @Test("l1 scores are the filters' absolute weight sums, lowest first in the figures")
  func l1Scores() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let outcome = runtime.execute("s = score m by l1")
    let model = try #require(runtime.environment["m"]?.value as? ModelValue)
    let weights = try #require(model.network.parameters["features.0.conv.weight"]).scalars
    // Filter i of features.0.conv is weights[9i ..< 9i+9] (1 input channel, 3×3).
    let sums = (0..<8).map { i in (0..<9).reduce(0.0) { $0 + Double(abs(weights[9 * i + $1])) } }
    let lowest = sums.indices.sorted { sums[$0] < sums[$1] }.prefix(3)
    #expect(outcome.figures["lowest.features.0.conv"] == .indices(Array(lowest)))
  }

  @Test("meta commands: :type, :vars, :help, :quit")
  func metaCommands() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data])
    #expect(runtime.execute(":type d").renderedText == "d : Dataset")
    #expect(runtime.execute(":type [l1, fpgm]").renderedText == "[l1, fpgm] : List of Criterion")
    let vars = runtime.execute(":vars").renderedText
    #expect(vars.contains("| d    | Dataset |    1 | synthetic: train 128×1×8×8"))
    let help = runtime.execute(":help eval").renderedText
    #expect(
      help.hasPrefix("eval <model> on <data> [split=test] [limit=…] [batch=250] [recalibrate=0]\n"))
    #expect(help.hasSuffix("example:\n  eval m on d"))
    let unknown = runtime.execute(":help evl")
    #expect(unknown.status == .error(.runtime, ":help: no command 'evl'; did you mean 'eval'?"))
    #expect(runtime.execute(":quit").quit)
    let misspelt = runtime.execute(":vras")
    #expect(
      misspelt.diagnostics.map(\.message) == ["unknown meta command ':vras'; did you mean ':vars'?"]
    )
  }

  @Test("checking a script runs nothing and reports the line of the error")
  func checkScript() throws {
    let (runtime, _) = try Fixtures.runtime()
    let result = runtime.check(
      script: Fixtures.data + "\n" + Fixtures.model
        + "\nplot m layer=features.0.conv\nm = train m on m")
    #expect(result.diagnostics.map(\.range.line) == [4])
    #expect(runtime.environment.names.isEmpty)
    #expect(runtime.cellCount == 0)
  }

  @Test("completion offers commands, bound variables of a fitting type, and layer names")
  func completion() throws {
    let (runtime, _) = try Fixtures.runtime()
    #expect(runtime.complete("sh").candidates == ["show"])
    Fixtures.run(runtime, [Fixtures.data, "mymodel = model vgg-small for d width=0.25"])
    #expect(runtime.complete("show my").candidates == ["mymodel"])
    #expect(runtime.complete("train my").candidates == ["mymodel"])
    #expect(runtime.complete("train mymodel on ").candidates == ["d"])
    #expect(
      runtime.complete("plot mymodel layer=features.0.").candidates
        == ["features.0.bn", "features.0.conv"])
    #expect(runtime.complete("score mymodel by fp").candidates == ["fpgm"])
    #expect(runtime.complete(":he").candidates == ["help"])
  }
}
