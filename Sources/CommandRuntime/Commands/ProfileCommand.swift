import CommandLanguage
import Foundation
import Pruning
import TensorCore

extension CommandDefinition {
  /// `lat = profile m batch=128`: measures each conv layer's inference time over a grid of kept
  /// channel counts with the engine's own kernels — a latency model for `plan … target=latency`.
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
    let cache =
      try arguments.bool("cache")
      ? LatencyCache.defaultDirectory(environment: ProcessInfo.processInfo.environment).map {
        LatencyCache(directory: $0)
      } : nil
    let start = MonotonicClock.seconds()
    let latency: LatencyModel
    do {
      latency = try profiler.profile(model.network, context: context.compute, cache: cache) {
        k, n, key in
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
    return LatencyValue(model: latency)
  }
}
