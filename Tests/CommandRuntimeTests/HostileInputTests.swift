import CommandLanguage
import CommandRuntime
import Foundation
import NeuralNet
import TensorCore
import Testing

/// Values that come through variables, huge models, deep lists and files that exist: clear
/// errors before anything runs away, and randomness that does not depend on where a line is.
@Suite("Hostile input at run time")
struct HostileInputTests {
  @Test("a parameter range is checked at run time too, with the checker's words")
  func rangeThroughVariable() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, "w = 100", "e = 2.5", "big = 1e12"])
    let width = runtime.execute("m = model vgg-small for d width=w")
    #expect(width.status == .error(.runtime, "model: width must be in [0.01, 8], got 100"))
    Fixtures.run(runtime, [Fixtures.model])
    let epochs = runtime.execute("m = train m on d epochs=e")
    #expect(epochs.status == .error(.runtime, "train: epochs expects a whole number, got 2.5"))
    let many = runtime.execute("m = train m on d epochs=big")
    #expect(many.status == .error(.runtime, "train: epochs must be in [1, 10000], got 1e+12"))
    // The literal gives the same words at check time.
    let literal = runtime.execute("m2 = model vgg-small for d width=100")
    guard case .error(.check, let text) = literal.status else {
      Issue.record("expected a check error, got \(literal.status)")
      return
    }
    #expect(text.contains("error: width must be in [0.01, 8], got 100"))
  }

  @Test("a model's footprint without allocating equals the built model's")
  func footprint() throws {
    for arch in ["lenet5", "vgg-small", "resnet20"] {
      let options = ModelOptions(inputChannels: 3, inputSize: 16, classes: 5, widthMultiplier: 0.5)
      var rng = SeededRNG(seed: 3)
      let network = try ModelZoo.make(arch, options: options, rng: &rng)
      let estimated = try ModelZoo.footprint(arch, options: options)
      let measured = try ModelFootprint(network)
      #expect(estimated == measured, "\(arch)")
      let parameters = network.parameters.values.reduce(0) { $0 + $1.count }
      let buffers = network.buffers.values.reduce(0) { $0 + $1.count }
      #expect(estimated.parameterElements == parameters + buffers, "\(arch)")
    }
  }

  @Test("a model that would not fit in memory is refused before it is allocated")
  func memoryRefusal() throws {
    let footprint = try ModelZoo.footprint(
      "vgg-small",
      options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 4, widthMultiplier: 0.25))
    let needed = footprint.trainingBytes(batch: 1)
    // 1×8×8 data, 4 classes, as Fixtures.data makes.
    for (limit, refused) in [(needed - 1, true), (needed, false)] {
      let runtime = try Runtime(
        options: RuntimeOptions(seed: 7, threads: 1, memoryLimit: limit), output: CollectingSink())
      Fixtures.run(runtime, [Fixtures.data])
      let outcome = runtime.execute(Fixtures.model)
      if refused {
        guard case .error(.runtime, let message) = outcome.status else {
          Issue.record("expected a refusal, got \(outcome.status)")
          continue
        }
        #expect(message.hasPrefix("model: vgg-small with "))
        #expect(message.contains("would need about"))
        #expect(runtime.environment["m"] == nil)
      } else {
        #expect(outcome.status == .ok)
      }
    }
  }

  @Test("scoring that would not fit in memory is refused; weight criteria are not")
  func scoringMemoryRefusal() throws {
    let footprint = try ModelZoo.footprint(
      "vgg-small",
      options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 4, widthMultiplier: 0.25))
    // Room for the model and for activations of a batch of 64, not for a training step of 64.
    let limit = footprint.trainingBytes(batch: 64) - 1
    #expect(footprint.inferenceBytes(batch: 64) <= limit)
    let runtime = try Runtime(
      options: RuntimeOptions(seed: 7, threads: 1, memoryLimit: limit), output: CollectingSink())
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    #expect(runtime.execute("s1 = score m by l1").status == .ok)
    #expect(runtime.execute("s2 = score m by apoz on d").status == .ok)
    for (line, command) in [
      ("s3 = score m by taylor on d", "score"),
      ("q = similarity m by [l1, taylor] on d", "similarity"),
      ("p = plan m by taylor ratio=50% on d", "plan"),
    ] {
      let outcome = runtime.execute(line)
      guard case .error(.runtime, let message) = outcome.status else {
        Issue.record("\(line): expected a refusal, got \(outcome.status)")
        continue
      }
      #expect(message.hasPrefix("\(command): scoring vgg-small by gradients on batches of 64"))
      #expect(message.contains("would need about"))
    }
    #expect(runtime.environment["s3"] == nil && runtime.environment["q"] == nil)
    #expect(runtime.execute("s3 = score m by taylor on d batch=4").status == .ok)
  }

  @Test("a list nested 60 deep archives in linear space and restores to the same hash")
  func nestedListLinear() throws {
    let (runtime, _) = try Fixtures.runtime()
    for depth in [30, 60] {
      let source =
        "x = " + String(repeating: "[", count: depth) + "1"
        + String(repeating: "]", count: depth)
      Fixtures.run(runtime, [source])
      let binding = try #require(runtime.environment["x"])
      let bytes = try binding.value.archive()
      // Each level adds `{"elements":[…],"type":"List of …"}`: its type name grows by 8
      // characters a level, so the whole is quadratic in the depth but far from exponential.
      #expect(bytes.count < depth * depth * 12 + 200, "\(depth): \(bytes.count) bytes")
      let restored = try runtime.kinds.unarchive(
        type: binding.value.type, bytes: bytes, loader: runtime.loader)
      #expect(try restored.contentHash() == binding.hash)
    }
  }

  @Test("inserting show, :vars and comment cells before train leaves every figure identical")
  func randomnessIgnoresPosition() throws {
    let work = [
      Fixtures.data, Fixtures.model, Fixtures.train, "eval m on d", "s = score m by random",
      "d2 = data synthetic classes=3 size=8 count=32",
    ]
    let inspection = ["show d", ":vars", "# a note about the next step", "show m"]
    let (plain, _) = try Fixtures.runtime()
    let plainOutcomes = Fixtures.run(plain, work)
    let (inspected, _) = try Fixtures.runtime()
    var inspectedOutcomes: [CellOutcome] = []
    for line in work {
      for extra in inspection { _ = inspected.execute(extra) }
      inspectedOutcomes += Fixtures.run(inspected, [line])
    }
    #expect(inspected.cellCount == plain.cellCount + work.count * inspection.count)
    for (a, b) in zip(plainOutcomes, inspectedOutcomes) {
      #expect(a.figures == b.figures, "\(a.input)")
      #expect(a.bindingHashes == b.bindingHashes, "\(a.input)")
    }
    // Another seed does change the draws, so the comparison above can fail.
    let (other, _) = try Fixtures.runtime(seed: 8)
    let otherOutcomes = Fixtures.run(other, work)
    #expect(otherOutcomes[2].figures != plainOutcomes[2].figures)
  }

  @Test("save and write refuse to replace a file unless overwrite=true, naming the file")
  func overwriteRefused() throws {
    let folder = try Fixtures.TemporaryFolder()
    let checkpoint = folder.path + "/m.ckpt"
    let table = folder.path + "/s.csv"
    try Data("precious".utf8).write(to: URL(fileURLWithPath: checkpoint))
    try Data("precious".utf8).write(to: URL(fileURLWithPath: table))
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model, "s = score m by l1"])
    let save = runtime.execute("save m to \"\(checkpoint)\"")
    #expect(
      save.status
        == .error(
          .runtime,
          "save: path: \(checkpoint) exists; add overwrite=true to replace it, or choose another name"
        ))
    let write = runtime.execute("write s to \"\(table)\"")
    #expect(
      write.status
        == .error(
          .runtime,
          "write: path: \(table) exists; add overwrite=true to replace it, or choose another name"))
    #expect(FileManager.default.contents(atPath: checkpoint) == Data("precious".utf8))
    #expect(FileManager.default.contents(atPath: table) == Data("precious".utf8))
    Fixtures.run(
      runtime,
      ["save m to \"\(checkpoint)\" overwrite=true", "write s to \"\(table)\" overwrite=true"])
    #expect(FileManager.default.contents(atPath: checkpoint) != Data("precious".utf8))
    #expect(FileManager.default.contents(atPath: table) != Data("precious".utf8))
  }

  @Test("with a scratch folder every write lands inside it, and load reads it back from there")
  func scratchFolder() throws {
    let folder = try Fixtures.TemporaryFolder()
    let scratch = folder.path + "/scratch"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    var options = RuntimeOptions(seed: 7, threads: 1)
    options.scratchFolder = scratch
    let runtime = try Runtime(options: options, output: CollectingSink())
    let absolute = folder.path + "/victim.ckpt"
    Fixtures.run(
      runtime,
      [
        Fixtures.data, Fixtures.model, "s = score m by l1",
        "save m to \"\(absolute)\"", "write s to \"../../escape.csv\"",
        "write s to \"sub/./s.json\"", "m2 = load \"\(absolute)\"",
      ])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["scratch"])
    #expect(FileManager.default.fileExists(atPath: scratch + absolute))
    #expect(FileManager.default.fileExists(atPath: scratch + "/__/__/escape.csv"))
    #expect(FileManager.default.fileExists(atPath: scratch + "/sub/s.json"))
    #expect(runtime.environment["m2"]?.value.type == .model)
  }
}
