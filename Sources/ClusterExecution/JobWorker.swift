import DurableIO
import Foundation
import NeuralNet
import Pruning
import TensorCore

/// What `shears worker ROUND --task N` does: reads the shard of task N in a round folder, the
/// job's shared files (each checked against the manifest's content hashes), evaluates every
/// item in order exactly as the in-process evaluation does, and writes the result atomically.
/// A pure function of the folder: the same files give the same bits.
///
/// ```swift
/// let result = try JobWorker.run(round: "/shared/jobs/blend-1/round-0000", task: 2)
/// ```
public enum JobWorker {
  /// Evaluates task `task` of the round folder `round` and writes `result-T.json` (or, when
  /// it fails, `error-T.txt` with the message, then rethrows).
  @discardableResult
  public static func run(round: String, task: Int) throws(ClusterError) -> JobResult {
    let folder = JobWorker.absolute(round)
    do throws(ClusterError) {
      let result = try evaluate(round: folder, task: task)
      let file = folder + "/" + JobFolder.resultName(task)
      let bytes = try JobFolder.encode(result, path: file)
      do {
        try DurableFile.write(bytes, to: file)
      } catch {
        throw .cannotWrite(path: file, reason: "\(error)")
      }
      return result
    } catch {
      let message = "\(error)\n"
      try? DurableFile.write(message, to: folder + "/" + JobFolder.errorName(task))
      throw error
    }
  }

  /// The result of task `task` of the round folder `round`, written nowhere.
  public static func evaluate(round: String, task: Int) throws(ClusterError) -> JobResult {
    guard task >= 0 else { throw .invalidOption("task must be 0 or more, not \(task)") }
    let round = JobWorker.absolute(round)
    let job = try JobFolder.open(JobWorker.parent(of: round))
    let shardFile = round + "/" + JobFolder.shardName(task)
    let shardBytes: [UInt8]
    do {
      shardBytes = try DurableFile.read(shardFile, limit: 1 << 28)
    } catch {
      throw .damaged(path: shardFile, problem: "\(error)")
    }
    let shard = try JobFolder.decode(JobShard.self, shardBytes, path: shardFile)
    guard shard.task == task, shard.format == JobManifest.currentFormat else {
      throw .damaged(
        path: shardFile, problem: "it is task \(shard.task) (format \(shard.format)), not \(task)")
    }
    guard shard.manifestHash == job.manifestHash else {
      throw .damaged(path: shardFile, problem: "it belongs to another job (manifest hash differs)")
    }
    let m = job.manifest
    let modelBytes = try m.model.read(in: job.path)
    let network: Network
    do {
      network = try Checkpoint.decode(modelBytes, path: job.path + "/" + m.model.path).network
    } catch {
      throw .damaged(path: job.path + "/" + m.model.path, problem: "\(error)")
    }
    let images = try ImageFile.decode(
      try m.images.read(in: job.path), shape: m.imageShape, path: m.images.path)
    let items: [JobResult.Item]
    do {
      let context = try ComputeContext(
        threads: m.threads, convolution: m.convolution ?? .direct)
      switch m.kind {
      case .blend:
        guard let problem = m.problem, let genomes = shard.genomes else {
          throw ClusterError.damaged(
            path: shardFile, problem: "a blend job needs genomes and a problem")
        }
        let space = try JobFolder.decode(
          BlendSpace.self, try problem.read(in: job.path), path: problem.path)
        let recalibration = try m.recalibration.map { r throws(ClusterError) in
          try ImageFile.decode(try r.read(in: job.path), shape: m.imageShape, path: r.path)
        }
        let evaluator = try BlendFitnessEvaluator(
          network: network, space: space,
          data: FitnessData(images: images, recalibration: recalibration, batchSize: m.batchSize),
          context: context)
        items = try genomes.map { g in
          let removed = space.removed(g)
          return JobResult.Item(
            maskHash: BlendSpace.maskHash(removed), measure: try evaluator.measure(removed: removed)
          )
        }
      case .sensitivity:
        guard let cases = shard.cases else {
          throw ClusterError.damaged(path: shardFile, problem: "a sensitivity job needs cases")
        }
        let evaluator = try SensitivityEvaluator(
          network: network,
          calibration: Calibration(
            split: images, images: images.count, batchSize: m.batchSize, context: context))
        items = try cases.map { c in
          JobResult.Item(maskHash: JobWorker.caseHash(c), measure: try evaluator.measure(c))
        }
      }
    } catch let error as ClusterError {
      throw error
    } catch {
      throw .damaged(path: shardFile, problem: "evaluating it failed: \(error)")
    }
    return JobResult(
      format: JobManifest.currentFormat, round: shard.round, task: task,
      manifestHash: job.manifestHash, shardHash: ContentHash.hex(shardBytes),
      modelHash: m.model.hash, imagesHash: m.images.hash, items: items)
  }

  /// `path` made absolute (against the working directory) with `.`, `..`, repeated and
  /// trailing slashes resolved: `.` in a round folder names that folder.
  public static func absolute(_ path: String) -> String {
    let full =
      path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var parts: [Substring] = []
    for part in full.split(separator: "/") {
      switch part {
      case ".": continue
      case "..": _ = parts.popLast()
      default: parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  /// The folder holding `path` (an absolute path from ``absolute(_:)``); `/` for `/`.
  public static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }

  /// The identity a sensitivity case's result carries: group, ratio and removed channels.
  public static func caseHash(_ c: SensitivityCase) -> String {
    ContentHash.hex(Array("\(c.group)|\(c.ratio.bitPattern)|\(c.removed)".utf8))
  }
}
