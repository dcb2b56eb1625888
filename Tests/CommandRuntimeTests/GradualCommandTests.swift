import CommandLanguage
import CommandRuntime
import Foundation
import NeuralNet
import Pruning
import Testing

/// `gradual`: the command binds a smaller, trained model with its per-epoch history; bad input
/// binds nothing; Ctrl-C binds nothing; `show` and `plot` draw the history.
@Suite("The gradual command")
struct GradualCommandTests {
  func prepared(seed: UInt64 = 7) throws -> (Runtime, CollectingSink) {
    let (runtime, sink) = try Fixtures.runtime(seed: seed)
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    return (runtime, sink)
  }

  static let line =
    "m2 = gradual m on d by l1 ratio=50% epochs=3 every=1 until=2 batch=32 lr=0.05 batches=2"

  @Test("gradual removes the target on the schedule and records the history")
  func runsAndRecords() throws {
    let (runtime, _) = try prepared()
    let outcome = runtime.execute(Self.line)
    #expect(outcome.status == .ok, "\(outcome.renderedText)")
    // 112 channels of vgg-small at width 0.25; 56 go in two steps of 28.
    #expect(outcome.figures["gradual.removed"] == .shape([28, 28]))
    #expect(outcome.figures["gradual.channels"] == .shape([84, 56, 56]))
    let m2 = try #require(runtime.environment["m2"]?.value as? ModelValue)
    let convs = m2.convolutions.map(\.spec.outChannels)
    #expect(convs.reduce(0, +) == 56)
    let history = try #require(GradualHistory.from(m2.metadata))
    #expect(history.epochs.map(\.removed) == [28, 28, 0])
    #expect(history.epochs.last?.macs == m2.network.macs)
    #expect(outcome.renderedText.contains("gradual pruning by l1"))
    // show draws the table and the chart; plot kind=epochs draws the chart.
    let shown = runtime.execute("show m2")
    #expect(shown.renderedText.contains("FLOPs kept"))
    let plotted = runtime.execute("plot m2 kind=epochs")
    #expect(plotted.status == .ok && plotted.renderedText.contains("test accuracy"))
    let refused = runtime.execute("plot m kind=epochs")
    #expect(refused.status != .ok && refused.renderedText.contains("made by gradual"))
  }

  @Test("the same seed gives the same model and figures (replay verifies)")
  func deterministic() throws {
    let (a, _) = try prepared()
    let (b, _) = try prepared()
    let x = a.execute(Self.line)
    let y = b.execute(Self.line)
    #expect(x.figures == y.figures)
    #expect(x.bindingHashes == y.bindingHashes)
  }

  @Test("bad schedules and unreachable ratios: clear messages, nothing bound")
  func badInput() throws {
    let (runtime, _) = try prepared()
    let before = runtime.environment.hashes
    let cases: [(String, String)] = [
      ("m2 = gradual m on d epochs=3 until=5", "until=5 must be between 1 and epochs=3"),
      ("m2 = gradual m on d epochs=3 every=0", "every"),
      ("m2 = gradual m on d epochs=3 every=3 until=2", "no pruning step would happen"),
      ("m2 = gradual m on d by l1 epochs=2 ratio=90% floor=8", "only 64 can go"),
    ]
    for (line, text) in cases {
      let outcome = runtime.execute(line)
      #expect(outcome.status != .ok, "\(line)")
      #expect(outcome.renderedText.contains(text), "\(line): \(outcome.renderedText)")
      #expect(outcome.boundName == nil)
    }
    #expect(runtime.environment.hashes == before)
  }

  @Test("Ctrl-C stops at a batch boundary and binds nothing")
  func interrupt() throws {
    let sink = StoppingSink(after: 3)
    let runtime = try Runtime(options: RuntimeOptions(seed: 3, threads: 1), output: sink)
    #expect(runtime.execute(Fixtures.data).status == .ok)
    #expect(runtime.execute(Fixtures.model).status == .ok)
    let before = runtime.environment.hashes
    runtime.shouldStop = { sink.shouldStop }
    let outcome = runtime.execute(
      "m2 = gradual m on d by l1 epochs=5 every=1 until=4 batch=16 lr=0.05")
    #expect(outcome.status == .interrupted)
    #expect(sink.updates.last?.label.hasSuffix("(stopped)") == true)
    #expect(runtime.environment.hashes == before)
    #expect(runtime.environment["m2"] == nil)
  }
}

/// `finetune … teacher=`: distillation at the prompt, and teachers that do not fit.
@Suite("Distillation at the prompt")
struct DistillationCommandTests {
  @Test("finetune with a teacher trains and differs from without; a misfit teacher is refused")
  func teacher() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(
      runtime,
      [
        Fixtures.data, Fixtures.model, Fixtures.train,
        "p = plan m by l1 ratio=50%", "s = prune m with p",
      ])
    let plain = runtime.execute("a = finetune s on d epochs=1 batch=32")
    let taught = runtime.execute(
      "b = finetune s on d epochs=1 batch=32 teacher=m temperature=2 alpha=0.5 schedule=onecycle nesterov=true smoothing=0.1 warmup=1"
    )
    #expect(plain.status == .ok && taught.status == .ok, "\(taught.renderedText)")
    #expect(plain.bindingHashes["a"] != taught.bindingHashes["b"])
    let before = runtime.environment.hashes
    Fixtures.run(
      runtime,
      [
        "d5 = data synthetic classes=5 size=8 count=64", "t5 = model vgg-small for d5 width=0.25",
        "d16 = data synthetic classes=4 size=16 count=64",
        "t16 = model vgg-small for d16 width=0.25",
      ])
    let after = runtime.environment.hashes
    for (teacher, text) in [("t5", "predicts 5 classes"), ("t16", "takes [1, 16, 16]")] {
      let outcome = runtime.execute("c = finetune s on d teacher=\(teacher)")
      #expect(outcome.status != .ok)
      #expect(outcome.renderedText.contains(text), "\(outcome.renderedText)")
      #expect(runtime.environment["c"] == nil)
    }
    #expect(runtime.environment.hashes == after && before.count + 4 == after.count)
  }
}
