import CommandLanguage
import Foundation
import Render
import TensorCore

/// Runs the command language: it checks each input against the registry and the bound
/// variables, runs it, binds results, and reports each cell as a ``CellOutcome``.
///
/// Randomness: each statement draws every random bit from
/// `SeededRNG(seed: options.seed).derived(key)`, where the key is what the statement computes
/// (``randomnessKey(of:)``): the name it binds and its canonical input — the command, every
/// argument in signature order (defaults included; the executor options, which only say where
/// the work runs, left out), literals exactly, and each variable by the content hash of its
/// value. So a statement computes the same bits wherever it stands: lines
/// that only inspect (`show d`, `:vars`), comments and narration before it change nothing.
/// Commands take named children (`derived("train")`, `derived("score")`, …), and a nested call
/// the child `derived("argument.<parameter>")` of its caller's generator.
///
/// Interrupts: ``shouldStop`` is polled by long commands (training stops at the next batch)
/// and between statements. An interrupted command binds nothing: the cell's status is
/// `interrupted` and every binding of earlier cells (and earlier statements of the same cell)
/// is kept. A partly trained model is not bound because where it stopped depends on timing,
/// and a session must replay bit for bit.
///
/// ```swift
/// let runtime = try Runtime(output: CollectingSink())
/// let outcome = runtime.execute("d = data synthetic classes=4 size=8 count=256")
/// outcome.status  // .ok;  runtime.environment["d"]?.value.type == .dataset
/// ```
public final class Runtime {
  /// The commands.
  public let registry: CommandRegistry
  /// Seed, threads, data limit, record style.
  public let options: RuntimeOptions
  /// Where kernels run.
  public let compute: ComputeContext
  /// Loads and caches data sets (also used to restore archived ones).
  public let loader: DatasetLoader
  /// Decoders of archived values.
  public let kinds: ValueKinds
  /// Where output goes.
  public var output: any OutputSink
  /// Polled by long commands; the shell wires it to its Ctrl-C flag.
  public var shouldStop: () -> Bool = { false }
  /// The bound variables.
  public private(set) var environment = Environment()
  /// How many cells have run.
  public private(set) var cellCount = 0
  /// The cell ``execute(_:stopBefore:)`` is running (commands see it as `CommandContext.cell`).
  private var runningCell = 0

  /// A runtime with its own compute context.
  public init(
    options: RuntimeOptions = RuntimeOptions(), registry: CommandRegistry = .standard,
    kinds: ValueKinds = .standard, output: any OutputSink = CollectingSink(),
    loader: DatasetLoader? = nil
  ) throws {
    self.options = options
    self.registry = registry
    self.kinds = kinds
    self.output = output
    self.compute = try ComputeContext(
      threads: options.threads, convolution: options.convolution)
    // Runtimes in one process may share a loader (the lesson book runs and replays many
    // scripts): the files are read once; every subset is still drawn from its own seed.
    self.loader = loader ?? DatasetLoader()
  }

  // MARK: - Checking and completion

  /// The checker's context for the current bindings.
  public func checkContext(
    purpose: RuntimeCheckContext.Purpose = .checking
  ) -> RuntimeCheckContext {
    RuntimeCheckContext(registry: registry, environment: environment, purpose: purpose)
  }

  /// Parses and type-checks a whole script against the current bindings, running nothing.
  public func check(script source: String) -> ScriptCheck {
    Checker(context: checkContext()).check(source: source)
  }

  /// Tab-completion candidates for the word ending at `cursor` in `text`.
  public func complete(_ text: String, cursor: Int? = nil) -> Completion {
    Completer.complete(text, cursor: cursor, context: checkContext(purpose: .completion))
  }

  /// Continues the cell numbering after cell `number`: a replay that restored the bindings of
  /// cells 1 through `number` from a session runs the next input as cell `number + 1`.
  public func continueNumbering(after number: Int) {
    cellCount = max(0, number)
  }

  /// The generator of a statement: the session seed's child named by what it computes.
  func statementRNG(_ statement: CheckedStatement) -> SeededRNG {
    SeededRNG(seed: options.seed).derived(randomnessKey(of: statement))
  }

  /// What a statement computes, as text: `m=train(model=#<hash of m>,data=#<hash of d>,
  /// epochs=n:<bits>,…)`. Variables appear as the content hashes of their current values, so
  /// the key depends on the values a statement reads, never on where it stands.
  func randomnessKey(of statement: CheckedStatement) -> String {
    switch statement.kind {
    case .assignment(let name, let value): return name + "=" + canonical(value)
    case .expression(let value): return canonical(value)
    case .meta(let meta, _): return ":" + meta.name
    }
  }

  private func canonical(_ expression: CheckedExpression) -> String {
    switch expression.kind {
    case .number(let number): return "n:" + String(number.value.bitPattern, radix: 16)
    case .text(let text): return "t\(text.utf8.count):" + text
    case .bool(let value): return value ? "true" : "false"
    case .symbol(let word): return "s:" + word
    case .variable(let name): return "#" + (environment[name]?.hash ?? "unbound:" + name)
    case .list(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
    case .call(let call):
      // Where the work runs (`executor=`, `tasks=` …) never changes what it computes: those
      // arguments are left out, so a blend draws the same bits locally and on Slurm.
      let placement = ParameterSpec.executionNames(of: call.signature)
      let arguments = call.arguments.filter { !placement.contains($0.parameter.name) }.map {
        argument in
        argument.parameter.name + "=" + (argument.value.map(canonical) ?? "-")
      }
      return call.signature.name + "(" + arguments.joined(separator: ",") + ")"
    }
  }

  // MARK: - Bindings

  /// Binds `value` to `name` (computing its content hash); `cell` 0 marks a value restored
  /// from outside a cell.
  public func bind(_ name: String, _ value: any Value, cell: Int = 0) throws {
    environment.bind(Binding(name: name, value: value, hash: try value.contentHash(), cell: cell))
  }

  /// Restores a binding from an archive (what ``Value/archive()`` returned) without running
  /// the command that made it.
  public func restore(_ name: String, type: ValueType, bytes: [UInt8], cell: Int = 0) throws {
    try bind(name, try kinds.unarchive(type: type, bytes: bytes, loader: loader), cell: cell)
  }

  /// Removes a binding; returns whether it existed.
  @discardableResult
  func unbind(_ name: String) -> Bool { environment.remove(name) }

  // MARK: - Running

  /// Runs one cell: parses and checks `source`, then runs its statements in order, stopping at
  /// the first failure.
  ///
  /// With `stopBefore` k, the cell stops as if interrupted before statement k (from 0): how a
  /// replay re-runs a cell that was interrupted when recorded, up to where it stopped. With
  /// `earlyStops` (the recorded cell's), the commands that were stopped early and bound their
  /// result so far stop at the same positions. With `measurements` (the recorded cell's, on a
  /// replay; nil on a live run) commands that measure the machine use what was recorded
  /// instead of measuring again (``CommandContext/recordedMeasurement()``).
  public func execute(
    _ source: String, stopBefore: Int? = nil, earlyStops: [EarlyStop] = [],
    measurements: [RecordedMeasurement]? = nil
  ) -> CellOutcome {
    cellCount += 1
    let number = cellCount
    runningCell = number
    let start = MonotonicClock.seconds()
    let recorder = CellRecorder(sink: output, style: options.recordStyle)
    recorder.replayStops = earlyStops
    recorder.replayMeasurements = measurements
    var outcome = CellOutcome(number: number, input: source)
    let checked = check(script: source)
    if !checked.diagnostics.isEmpty {
      let text = DiagnosticRenderer().render(checked.diagnostics, in: source)
      recorder.note(text)
      outcome.status = .error(.check, text)
      outcome.diagnostics = checked.diagnostics
    } else {
      var index = 0
      do {
        for statement in checked.statements {
          if (index > 0 && shouldStop()) || index == stopBefore {
            throw RuntimeError.interrupted(command: "the cell")
          }
          let rng = statementRNG(statement)
          recorder.statement = index
          try run(statement, rng: rng, recorder: recorder, outcome: &outcome)
          index += 1
        }
      } catch RuntimeError.interrupted(let command) {
        recorder.note("interrupted: \(command) stopped; nothing was bound")
        outcome.status = .interrupted
        outcome.stoppedAt = index
        // Where a command stopped depends on timing: keep no figures of the stopped statement.
        outcome.figures = Figures()
        recorder.figures = Figures()
      } catch {
        let message = "\(error)"
        recorder.note("error: " + message)
        outcome.status = .error(.runtime, message)
      }
    }
    outcome.figures.append(contentsOf: recorder.figures)
    outcome.renderedText = recorder.text
    outcome.earlyStops = recorder.earlyStops
    outcome.measurements = recorder.measurements
    outcome.elapsed = MonotonicClock.seconds() - start
    outcome.bindingHashes = environment.hashes
    return outcome
  }

  private func run(
    _ statement: CheckedStatement, rng: SeededRNG, recorder: CellRecorder,
    outcome: inout CellOutcome
  ) throws {
    outcome.boundName = nil
    outcome.resultType = ValueType.nothing.description
    outcome.figures = Figures()
    switch statement.kind {
    case .assignment(let name, let expression):
      guard let value = try evaluate(expression, rng: rng, recorder: recorder) else {
        throw RuntimeError.internalInconsistency("\(name) = … gave no value")
      }
      try bind(name, value, cell: outcome.number)
      recorder.emit(.text("\(name): \(value.type) = \(value.summary)"))
      outcome.boundName = name
      outcome.resultType = value.type.description
      outcome.figures = value.figures
    case .expression(let expression):
      let value = try evaluate(expression, rng: rng, recorder: recorder)
      guard let value else { return }
      if case .variable(let name) = expression.kind {
        recorder.emit(.text("\(name): \(value.type) = \(value.summary)"))
      } else if case .call(let call) = expression.kind,
        registry.command(named: call.signature.name)?.showsResult == true
      {
        recorder.emit(.text(value.summary))
      } else {
        for item in value.details() { recorder.emit(item) }
      }
      outcome.resultType = value.type.description
      outcome.figures = value.figures
    case .meta(let meta, let typed):
      try runMeta(meta, typed: typed, recorder: recorder, outcome: &outcome)
    }
  }

  /// Evaluates a checked expression; nil for a command that returns nothing.
  private func evaluate(_ expression: CheckedExpression, rng: SeededRNG, recorder: CellRecorder)
    throws -> (any Value)?
  {
    switch expression.kind {
    case .number(let number): return NumberValue(number.value)
    case .text(let text): return TextValue(text)
    case .bool(let value): return BoolValue(value)
    case .symbol(let word): return try symbolValue(word, type: expression.type)
    case .variable(let name):
      guard let binding = environment[name] else {
        throw RuntimeError.internalInconsistency("variable \(name) is not bound")
      }
      return binding.value
    case .list(let items):
      var elements: [any Value] = []
      for item in items {
        guard let value = try evaluate(item, rng: rng, recorder: recorder) else {
          throw RuntimeError.internalInconsistency("a list element gave no value")
        }
        elements.append(value)
      }
      return ListValue(elements, type: expression.type)
    case .call(let call):
      return try run(call, rng: rng, recorder: recorder)
    }
  }

  /// The value a symbol denotes: a criterion, a text, or a word of its type.
  private func symbolValue(_ word: String, type: ValueType) throws -> any Value {
    switch type {
    case .criterion:
      do {
        return try CriterionValue(named: word)
      } catch {
        throw RuntimeError.internalInconsistency("\(error)")
      }
    case .text: return TextValue(word)
    default: return SymbolValue(word, type: type)
    }
  }

  /// Runs a command call. A nested call (`train (model vgg-small for d) on d`) takes the child
  /// `derived("argument.<parameter>")` of its caller's generator.
  private func run(_ call: CheckedCall, rng: SeededRNG, recorder: CellRecorder) throws
    -> (any Value)?
  {
    let name = call.signature.name
    guard let command = registry.command(named: name) else {
      throw RuntimeError.internalInconsistency("no command '\(name)' in the registry")
    }
    var values: [String: any Value] = [:]
    var given: Set<String> = []
    for argument in call.arguments {
      if argument.origin == .given { given.insert(argument.parameter.name) }
      guard let expression = argument.value else { continue }
      let argumentRNG = rng.derived("argument.\(argument.parameter.name)")
      guard let value = try evaluate(expression, rng: argumentRNG, recorder: recorder) else {
        throw RuntimeError.internalInconsistency(
          "argument \(argument.parameter.name) gave no value")
      }
      try checkRange(of: value, for: argument.parameter, command: name)
      values[argument.parameter.name] = value
    }
    try checkInterruptBefore(name)
    let context = CommandContext(
      command: name, compute: compute, rng: rng, options: options, loader: loader,
      cell: runningCell, recorder: recorder, stop: shouldStop)
    do {
      return try command.run(
        Arguments(command: name, values: values, given: given), context)
    } catch let error as RuntimeError {
      throw error
    } catch {
      throw RuntimeError.engine(command: name, message: "\(error)")
    }
  }

  /// Checks a number (or every number of a list) against the parameter's range and
  /// wholeness, as the checker does for literals: a value that came through a variable
  /// (`w = 100` then `model vgg-small width=w`) gets the same message.
  private func checkRange(of value: any Value, for parameter: ParameterSpec, command: String)
    throws
  {
    guard parameter.range != nil || parameter.integerOnly else { return }
    if let number = value as? NumberValue,
      let (_, message) = parameter.problem(with: number.value, text: Figure.format(number.value))
    {
      throw RuntimeError.invalidValue(command: command, message: message)
    }
    if let list = value as? ListValue {
      for element in list.elements {
        try checkRange(of: element, for: parameter, command: command)
      }
    }
  }

  private func checkInterruptBefore(_ command: String) throws {
    if shouldStop() { throw RuntimeError.interrupted(command: command) }
  }

}
