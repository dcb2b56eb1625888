import ArgumentParser
import Benchmarking
import DurableIO
import Foundation
import NeuralNet
import Pruning
import Render
import TensorCore

/// `shears bench`: training and inference throughput of the zoo's networks, peak memory, GEMM.
///
/// Each network is measured in a child process of its own (`--only`), so that its peak memory
/// (VmHWM) is its own. Synthetic data (seeded normal images, random labels) isolates the
/// engine from data loading. A training step is forward + cross-entropy + backward + SGD.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure training/inference images per second and peak memory.",
    discussion: """
      Example: shears bench --threads 2 --json
      Networks: resnet20 (3×32×32), resnet56 (3×32×32), vgg-small (1×28×28), batch 128.
      Also: GEMM GFLOP/s, score + plan + surgery of resnet56 (l1, 50% uniform), the blend
      search loop (vgg-small, 1024 fitness images, population 16 × 8 generations, 50% uniform),
      and the pruned case: resnet56, vgg16 (3×32×32) and vgg-small pruned by l1 to 50% of their
      FLOPs — plain, align=auto, align=latency, and target=latency at the plain plan's
      predicted latency — measured inference speed-up against the FLOPs speed-up and the
      latency model's error (unpruned and pruned networks timed in interleaved rounds).
      `--only pruned` runs that case alone; `--export-pruned DIR` writes the pruned graphs as
      JSON for scripts/torch_bench.py.
      """)

  @Option(help: "OpenMP threads for oneDNN.")
  var threads: Int = 2

  @Option(
    help: "How convolutions are computed: winograd (where it fits, direct elsewhere) or direct.")
  var convolution: ConvolutionAlgorithm = .default

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  @Option(help: "Timed training steps per network (after 3 warm-up steps).")
  var steps: Int = 20

  @Option(help: "Batch size.")
  var batch: Int = 128

  @Option(
    help:
      "Measure only this network (or `blend`, or `pruned`), in this process (used by the parent run)."
  )
  var only: String?

  @Option(help: "With the pruned case: write each pruned network's graph as JSON into this folder.")
  var exportPruned: String?

  @Option(help: "Grid points per channel dimension of the pruned case's latency models.")
  var latencyPoints: Int = 4

  @Flag(
    help:
      "With --only: print the slowest nodes of a training and an inference step to standard error (with --only pruned: each conv's predicted and in-network time)."
  )
  var profile = false

  struct Case: Codable {
    var network: String
    var input: [Int]
    var batch: Int
    var threads: Int
    var trainImagesPerSecond: Double
    var inferenceImagesPerSecond: Double
    var trainStepMilliseconds: Double
    var peakMemoryMB: Double
    var macs: Int
    var parameters: Int
  }

  struct Report: Codable {
    var version: String
    /// The processor the figures were measured on (``LibraryVersions/cpu``: its model name and
    /// the ISA oneDNN dispatches to): the machines change, and figures from two are not
    /// comparable.
    var cpu: String
    /// oneDNN's version at run time.
    var oneDNN: String
    var threads: Int
    var convolution: ConvolutionAlgorithm
    var batch: Int
    var cases: [Case]
    var gemmGFLOPS: Double
    /// Score (l1) + plan (50% uniform) + surgery of resnet56, milliseconds (median of 15).
    var pruningPipelineMilliseconds: PipelineMilliseconds
    /// The blend search's evaluation loop (``BlendBenchmark``).
    var blend: BlendBenchmark.Figures
    /// Pruned networks: measured against FLOPs speed-up (``PrunedBenchmark``).
    var pruned: [PrunedBenchmark.Row]
  }

  struct PipelineMilliseconds: Codable {
    var score: Double
    var plan: Double
    var surgery: Double
    var total: Double
  }

  static let networks: [(name: String, channels: Int, size: Int)] = [
    ("resnet20", 3, 32), ("resnet56", 3, 32), ("vgg-small", 1, 28),
  ]

  func validate() throws {
    guard threads >= 1, steps >= 1, batch >= 1 else {
      throw ValidationError("--threads, --steps and --batch must be at least 1")
    }
    if let only, only != "blend", only != "pruned",
      !Self.networks.contains(where: { $0.name == only })
    {
      throw ValidationError(
        "unknown network '\(only)'; choose from resnet20, resnet56, vgg-small (or blend, pruned)")
    }
  }

  func run() throws {
    #if DEBUG
      FileHandle.standardError.write(
        Data("warning: a debug build; build with -c release for meaningful figures\n".utf8))
    #endif
    if only == "blend" {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let figures = try BlendBenchmark.run(threads: threads, convolution: convolution)
      print(String(decoding: try encoder.encode(figures), as: UTF8.self))
      return
    }
    if only == "pruned" {
      let rows = try prunedCase()
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(rows), as: UTF8.self))
      } else {
        print(prunedTable(rows))
        print(machineLine)
      }
      return
    }
    if let only {
      // validate() refused any name not in networks.
      guard let spec = Self.networks.first(where: { $0.name == only }) else {
        throw ValidationError("unknown network '\(only)'")
      }
      let c = try measure(spec.name, channels: spec.channels, size: spec.size)
      print(String(decoding: try JSONEncoder().encode(c), as: UTF8.self))
      return
    }
    var cases: [Case] = []
    for spec in Self.networks {
      cases.append(try runChild(spec.name))
    }
    let report = Report(
      version: ShearsVersion.current, cpu: LibraryVersions.cpu, oneDNN: LibraryVersions.oneDNN,
      threads: threads, convolution: convolution, batch: batch,
      cases: cases,
      gemmGFLOPS: GEMMBenchmark.gflops(), pruningPipelineMilliseconds: try pipeline(),
      blend: try BlendBenchmark.run(threads: threads, convolution: convolution),
      pruned: try runPrunedChild())
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(report), as: UTF8.self))
    } else {
      let style = TerminalStyle.detect(
        isTTY: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment)
      var table = Table(
        columns: [
          .text("network"), .text("input"), .numeric("train img/s"), .numeric("infer img/s"),
          .numeric("step ms"), .numeric("peak MB"),
        ])
      table.title =
        "shears bench — batch \(batch), \(threads) thread(s), \(convolution.rawValue) convolutions"
      for c in cases {
        table.rows.append([
          c.network, c.input.map(String.init).joined(separator: "×"),
          String(format: "%.1f", c.trainImagesPerSecond),
          String(format: "%.1f", c.inferenceImagesPerSecond),
          String(format: "%.1f", c.trainStepMilliseconds), String(format: "%.0f", c.peakMemoryMB),
        ])
      }
      print(table.render(style: style))
      print(machineLine)
      print(String(format: "GEMM (2048³, 1 OpenBLAS thread): %.1f GFLOP/s", report.gemmGFLOPS))
      let p = report.pruningPipelineMilliseconds
      print(
        String(
          format: "resnet56, l1, 50%% uniform: score %.1f + plan %.1f + surgery %.1f = %.1f ms",
          p.score, p.plan, p.surgery, p.total))
      let b = report.blend
      print(
        String(
          format: "blend, vgg-small, %d images, %d×%d: %.1f evaluations/s, cache hits %.0f%%, "
            + "%.1f s in all; loop %.0f img/s vs plain inference %.0f img/s (%.0f%%)",
          b.images, b.population, b.generations, b.evaluationsPerSecond, b.cacheHitRate * 100,
          b.totalSeconds, b.loopImagesPerSecond, b.plainInferenceImagesPerSecond,
          b.loopEfficiency * 100))
      print(prunedTable(report.pruned))
    }
  }

  private func runChild(_ name: String) throws -> Case {
    let process = Process()
    var executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    if !FileManager.default.isExecutableFile(atPath: executable.path) {
      executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }
    process.executableURL = executable
    process.arguments = [
      "bench", "--only", name, "--threads", "\(threads)", "--steps", "\(steps)", "--batch",
      "\(batch)", "--convolution", convolution.rawValue,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ValidationError("benchmark of \(name) failed (exit \(process.terminationStatus))")
    }
    return try JSONDecoder().decode(Case.self, from: data)
  }

  private func measure(_ name: String, channels: Int, size: Int) throws -> Case {
    let context = try ComputeContext(threads: threads, convolution: convolution)
    var rng = SeededRNG(seed: 2026)
    let net = try ModelZoo.make(
      name, options: ModelOptions(inputChannels: channels, inputSize: size), rng: &rng)
    let data = SyntheticBatch(network: net, batch: batch, rng: &rng)
    let result = try StepBenchmark(steps: steps, warmup: 3, learningRate: 0.01, profile: profile)
      .run(net, on: data, context: context)
    for (kind, p) in [
      ("per-step", result.profile), ("per-inference-step", result.inferenceProfile),
    ] {
      guard let p else { continue }
      let total = p.values.reduce(0, +)
      var lines = [
        "\(kind) time by node (ms), \(String(format: "%.1f", total * 1000 / Double(steps))) ms in nodes:"
      ]
      for (k, v) in p.sorted(by: { $0.value > $1.value }).prefix(
        Int(ProcessInfo.processInfo.environment["SHEARS_PROFILE_ROWS"] ?? "") ?? 25)
      {
        lines.append(String(format: "%8.2f  %@", v * 1000 / Double(steps), k))
      }
      FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
    return Case(
      network: name, input: [channels, size, size], batch: batch, threads: threads,
      trainImagesPerSecond: Double(batch) / result.trainSeconds,
      inferenceImagesPerSecond: Double(batch) / result.inferenceSeconds,
      trainStepMilliseconds: result.trainSeconds * 1000, peakMemoryMB: PeakMemory.megabytes(),
      macs: result.network.macs, parameters: result.network.parameterCount)
  }

  /// Score + plan + surgery of resnet56 by l1 at 50% uniform (Torch-Pruning: 164 ms here).
  private func pipeline() throws -> PipelineMilliseconds {
    var rng = SeededRNG(seed: 2026)
    let net = try ModelZoo.make("resnet56", options: ModelOptions(), rng: &rng)
    let t = try PipelineBenchmark.run(
      network: net, criterion: "l1", ratio: 0.5,
      context: try ComputeContext(threads: threads, convolution: convolution))
    return PipelineMilliseconds(
      score: t.score * 1000, plan: t.plan * 1000, surgery: t.surgery * 1000, total: t.total * 1000)
  }

  /// The pruned case in this process; with `--export-pruned`, the graphs too.
  private func prunedCase() throws -> [PrunedBenchmark.Row] {
    let context = try ComputeContext(threads: threads, convolution: convolution)
    // A benchmark measures afresh: no latency cache (a grid cached on a busy machine would
    // carry its noise into the predictions).
    var rows: [PrunedBenchmark.Row] = []
    for spec in PrunedBenchmark.networks {
      let (r, networks, latency) = try PrunedBenchmark.run(
        spec.name, batch: batch, steps: steps, context: context, cache: nil, points: latencyPoints)
      rows += r
      if profile {
        try printLayerTimes(spec.name, networks: networks, latency: latency, context: context)
      }
      if let folder = exportPruned {
        try DurableFile.makeDirectory(folder)
        var all = networks.map { ($0.key.rawValue, $0.value) }
        all.append(("base", try PrunedBenchmark.network(spec.name)))
        for (variant, net) in all {
          let graph = PrunedGraph(
            network: spec.name, variant: variant, inputShape: net.inputShape,
            classes: net.classes, nodes: net.nodes)
          let encoder = JSONEncoder()
          encoder.outputFormatting = [.sortedKeys]
          try DurableFile.write(
            [UInt8](try encoder.encode(graph)), to: "\(folder)/\(spec.name)-\(variant).json")
        }
      }
    }
    return rows
  }

  /// A pruned network's graph for the PyTorch peer: its nodes as the engine's Codable form.
  struct PrunedGraph: Codable {
    var network: String
    var variant: String
    var inputShape: [Int]
    var classes: Int
    var nodes: [Node]
  }

  private func runPrunedChild() throws -> [PrunedBenchmark.Row] {
    let process = Process()
    var executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    if !FileManager.default.isExecutableFile(atPath: executable.path) {
      executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }
    process.executableURL = executable
    process.arguments =
      [
        "bench", "--only", "pruned", "--json", "--threads", "\(threads)", "--steps", "\(steps)",
        "--batch", "\(batch)", "--latency-points", "\(latencyPoints)", "--convolution",
        convolution.rawValue,
      ] + (exportPruned.map { ["--export-pruned", $0] } ?? [])
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ValidationError("the pruned benchmark failed (exit \(process.terminationStatus))")
    }
    return try JSONDecoder().decode([PrunedBenchmark.Row].self, from: data)
  }

  /// With `--profile`: each conv's predicted and in-network time, unpruned and per variant
  /// (standard error).
  private func printLayerTimes(
    _ name: String, networks: [PrunedBenchmark.Variant: Network], latency: LatencyModel,
    context: ComputeContext
  ) throws {
    var rng = SeededRNG(seed: 7)
    let base = try PrunedBenchmark.network(name)
    let data = SyntheticBatch(network: base, batch: batch, rng: &rng)
    var lines: [String] = []
    let variants =
      [("base", base)]
      + PrunedBenchmark.Variant.allCases.compactMap { v in
        networks[v].map { (v.rawValue, $0) }
      }
    for (label, net) in variants {
      let times = try PrunedBenchmark.layerTimes(
        net, latency: latency, data: data, steps: steps, context: context)
      let p = times.reduce(0) { $0 + $1.predicted }
      let m = times.reduce(0) { $0 + $1.measured }
      lines.append(
        String(
          format: "%@ %@: convs predicted %.2f ms, measured in the network %.2f ms (%+.1f%%)",
          name, label, p * 1000, m * 1000, (p / max(m, 1e-12) - 1) * 100))
      for t in times {
        lines.append(
          String(
            format: "  %-22@ %4d→%-4d predicted %8.3f ms  measured %8.3f ms  %+6.1f%%", t.node,
            t.inChannels, t.outChannels, t.predicted * 1000, t.measured * 1000,
            (t.predicted / max(t.measured, 1e-12) - 1) * 100))
      }
    }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
  }

  /// Where the figures were measured: the processor, oneDNN's version and the convolution
  /// algorithm (the machines differ from run to run; say which one a table is from).
  private var machineLine: String {
    "on \(LibraryVersions.cpu); oneDNN \(LibraryVersions.oneDNN); \(convolution.rawValue) convolutions"
  }

  /// The pruned case as a table.
  private func prunedTable(_ rows: [PrunedBenchmark.Row]) -> String {
    var style = TerminalStyle.detect(
      isTTY: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment)
    style.width = max(style.width, 132)
    var table = Table(
      columns: [
        .text("network"), .text("plan"), .numeric("FLOPs ×"), .numeric("measured ×"),
        .numeric("of FLOPs"), .numeric("base ms"), .numeric("pruned ms"),
        .numeric("predicted ms"), .numeric("error"), .numeric("predicted ×"),
        .numeric("× error"), .numeric("aligned"),
      ])
    table.title =
      "pruned by l1 to 50% FLOPs — inference, batch \(batch), \(threads) thread(s)"
    for r in rows {
      table.rows.append([
        r.network, r.variant.rawValue, String(format: "%.2f", r.flopsSpeedup),
        String(format: "%.2f", r.measuredSpeedup),
        String(format: "%.0f%%", r.measuredSpeedup / r.flopsSpeedup * 100),
        String(format: "%.2f", r.baseSeconds * 1000),
        String(format: "%.2f", r.prunedSeconds * 1000),
        String(format: "%.2f", r.predictedSeconds * 1000),
        String(format: "%+.1f%%", r.predictionError * 100),
        String(format: "%.2f", r.predictedSpeedup),
        String(format: "%+.1f%%", r.speedupPredictionError * 100),
        String(r.alignedGroups),
      ])
    }
    return table.render(style: style)
  }
}
