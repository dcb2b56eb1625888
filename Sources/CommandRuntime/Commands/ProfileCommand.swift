import CommandLanguage
import Foundation
import Pruning
import TensorCore

extension CommandDefinition {
  /// `lat = profile m batch=128`: measures each conv layer's inference time over a grid of kept
  /// channel counts with the engine's own kernels — a latency model for `plan … target=latency`.
  /// The cell records the model (``RecordedMeasurement``); a replay restores it, never measures.
  public static let profile = CommandDefinition(
    CommandSignature(
      name: "profile",
      parameters: [
        ParameterSpec("model", .model, summary: "the network to measure"),
        ParameterSpec(
          "batch", .number, .keyword, default: .value(.number(128)), range: .closed(1, 4096),
          integerOnly: true, summary: "images per inference call"),
        ParameterSpec(
          "points", .number, .keyword, default: .value(.number(4)), range: .closed(1, 64),
          integerOnly: true, summary: "grid points per channel dimension (more: finer, slower)"),
        ParameterSpec(
          "repeats", .number, .keyword, default: .value(.number(5)), range: .closed(1, 1000),
          integerOnly: true, summary: "timed calls per grid cell (the median is kept)"),
        ParameterSpec(
          "cache", .bool, .keyword, default: .value(.bool(true)),
          summary: "reuse and keep measurements in $XDG_CACHE_HOME/shears/latency/"),
      ],
      result: .latency,
      summary:
        "Measure each conv's inference time over kept channel counts on this machine (a latency model).",
      example: "lat = profile m batch=128"),
    group: .analysis, showsResult: true
  ) { arguments, context in
    let model = try arguments.model("model")
    let profiler = try LatencyProfiler(
      batch: try arguments.int("batch"), points: try arguments.int("points"),
      repeats: try arguments.int("repeats"))
    let replay = context.recordedMeasurement()
    if case .recorded(let bytes) = replay {
      return try ProfileReplay.restore(bytes, for: model, profiler: profiler, context: context)
    }
    let cache =
      try arguments.bool("cache")
      ? LatencyCache.defaultDirectory(environment: ProcessInfo.processInfo.environment).map {
        LatencyCache(directory: $0)
      } : nil
    let start = MonotonicClock.seconds()
    let latency: LatencyModel
    do {
      latency = try profiler.profile(
        model.network, context: context.compute, cache: cache, notice: { context.warn($0) }
      ) { k, n, key in
        let elapsed = MonotonicClock.seconds() - start
        context.progress(
          ProgressUpdate(
            label: "shape \(k + 1)/\(n) \(key)", completed: k, total: n, elapsed: elapsed,
            finished: false))
        return !context.shouldStop
      }
    } catch PruningError.invalidOption(let m) where m.hasPrefix("profiling stopped") {
      throw RuntimeError.interrupted(command: "profile")
    }
    context.progress(
      ProgressUpdate(
        label: "profiled", completed: 1, total: 1, elapsed: MonotonicClock.seconds() - start,
        finished: true))
    if replay == .notRecorded {
      context.warn(
        "this session recorded no latency model for profile (an older Shears): measured "
          + "again on this machine, so plans made with it may differ from the record")
    }
    let value = LatencyValue(model: latency)
    // Timings differ from run to run: the session keeps them so that a replay does not measure.
    context.recordMeasurement(try value.archive())
    return value
  }
}

/// How `profile` replays: the latency model the cell recorded, restored instead of measured.
enum ProfileReplay {
  /// The recorded model, checked against the network and the arguments (a record that does
  /// not fit was edited), and recorded again with the replayed cell.
  static func restore(
    _ bytes: [UInt8], for model: ModelValue, profiler: LatencyProfiler, context: CommandContext
  ) throws -> LatencyValue {
    let value: LatencyValue
    do {
      value = try LatencyValue.unarchive(bytes)
    } catch {
      throw RuntimeError.invalidArgument(
        command: "profile", name: "model",
        problem: "the latency model this cell recorded does not decode (\(error)); "
          + "the session was edited after it was recorded")
    }
    let recorded = value.model
    guard recorded.fingerprint == model.network.fingerprint, recorded.batch == profiler.batch
    else {
      throw RuntimeError.invalidArgument(
        command: "profile", name: "model",
        problem: "the latency model this cell recorded was made for \(recorded.model) "
          + "(fingerprint \(recorded.fingerprint), batch \(recorded.batch)), not "
          + "\(model.network.name) (\(model.network.fingerprint), batch \(profiler.batch)); "
          + "the session was edited after it was recorded")
    }
    context.progress(
      ProgressUpdate(
        label: "restored as recorded (measured on \(recorded.environment.cpu)), not measured",
        completed: 1, total: 1, elapsed: 0, finished: true))
    // What the profiler said while it measured, said again: the replay shows what the
    // recording showed, and a model measured on a busy machine is named as such.
    for note in recorded.notes ?? [] { context.warn(note) }
    context.recordMeasurement(bytes)
    return value
  }
}
