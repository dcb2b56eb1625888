import CommandRuntime
import Render
import Testing

/// A sink that asks to stop once it has seen a few progress updates.
final class StoppingSink: OutputSink {
  var updates: [ProgressUpdate] = []
  var items: [OutputItem] = []
  let after: Int

  init(after: Int) { self.after = after }

  func emit(_ item: OutputItem) { items.append(item) }
  func progress(_ update: ProgressUpdate) { updates.append(update) }
  var shouldStop: Bool { updates.count >= after }
}

@Suite("Interrupting a running command")
struct InterruptTests {
  @Test("shouldStop stops training at the next batch; the cell binds nothing")
  func stopTraining() throws {
    let sink = StoppingSink(after: 2)
    let runtime = try Runtime(options: RuntimeOptions(seed: 3, threads: 1), output: sink)
    #expect(runtime.execute(Fixtures.data).status == .ok)
    #expect(runtime.execute(Fixtures.model).status == .ok)
    let before = runtime.environment.hashes
    runtime.shouldStop = { sink.shouldStop }
    let outcome = runtime.execute("m = train m on d epochs=50 batch=16 lr=0.05")
    #expect(outcome.status == .interrupted)
    // Two running updates, then the stopped bar's final line: the third step never ran.
    #expect(sink.updates.map(\.completed) == [1, 2, 2])
    #expect(sink.updates.last?.finished == true)
    #expect(sink.updates.last?.label == "epoch 1/50 (stopped)")
    #expect(outcome.renderedText.hasSuffix("interrupted: train stopped; nothing was bound"))
    #expect(runtime.environment.hashes == before)
    #expect(outcome.boundName == nil)
    // The shell goes on: the next cell runs.
    runtime.shouldStop = { false }
    #expect(runtime.execute("eval m on d").status == .ok)
  }

  @Test("a stop request before a command keeps it from starting")
  func stopBeforeStart() throws {
    let (runtime, _) = try Fixtures.runtime()
    runtime.shouldStop = { true }
    let outcome = runtime.execute(Fixtures.data)
    #expect(outcome.status == .interrupted)
    #expect(runtime.environment["d"] == nil)
  }
}
