import Datasets
import DurableIO
import Foundation
import NeuralNet
import Pruning
import TensorCore

/// A self-contained job folder on a (shared) file system: everything a worker needs to
/// evaluate its share of the work, as files, and the results it writes back.
///
/// Layout (all writes atomic: temporary file, fsync, rename):
///
/// ```
/// FOLDER/job.json                    JobManifest: the files below with their content hashes
/// FOLDER/model.ck                    the model (NeuralNet's checkpoint format)
/// FOLDER/images.bin                  fitness / calibration images (ImageFile)
/// FOLDER/recalibration.bin           batch-norm recalibration images (blend, optional)
/// FOLDER/problem.json                the blend's BlendSpace (blend only)
/// FOLDER/round-0003/shard-0002.json  JobShard: what task 2 of round 3 evaluates
/// FOLDER/round-0003/result-0002.json JobResult: what it measured (written by the worker)
/// FOLDER/round-0003/error-0002.txt   the worker's error, when it failed
/// ```
///
/// A round is one batch of work (a blend generation; a sweep has one). The worker is given the
/// round folder and a task number: `shears worker FOLDER/round-0003 --task 2`.
public struct JobFolder: Sendable {
  /// The folder.
  public let path: String
  /// The manifest as written.
  public let manifest: JobManifest
  /// Content hash of `job.json`'s bytes.
  public let manifestHash: String

  /// Writes the shared files of a blend job into `path` (created; must not hold a job yet).
  public static func createBlend(
    at path: String, network: Network, space: BlendSpace, data: FitnessData, threads: Int,
    convolution: ConvolutionAlgorithm = .default, imageIndices: [Int]? = nil
  ) throws(ClusterError) -> JobFolder {
    let problem: [UInt8]
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      problem = Array(try encoder.encode(space))
      // The worker must see the very scores: refuse a space that JSON does not carry exactly.
      guard try JSONDecoder().decode(BlendSpace.self, from: Data(problem)) == space else {
        throw ClusterError.invalidOption("the blend space does not survive JSON exactly")
      }
    } catch let error as ClusterError {
      throw error
    } catch {
      throw .cannotWrite(path: path + "/problem.json", reason: "\(error)")
    }
    return try create(
      at: path, kind: .blend, network: network, images: data.images,
      recalibration: data.recalibration, problem: problem, batchSize: data.batchSize,
      threads: threads, convolution: convolution, imageIndices: imageIndices)
  }

  /// Writes the shared files of a sensitivity sweep into `path`: the network and the
  /// calibration images actually evaluated (the first `calibration.images`).
  public static func createSensitivity(
    at path: String, network: Network, calibration: Calibration, threads: Int,
    convolution: ConvolutionAlgorithm = .default
  ) throws(ClusterError) -> JobFolder {
    let n = min(calibration.images, calibration.split.count)
    let split =
      n == calibration.split.count
      ? calibration.split : calibration.split.selecting(Array(0..<n))
    return try create(
      at: path, kind: .sensitivity, network: network, images: split, recalibration: nil,
      problem: nil, batchSize: calibration.batchSize, threads: threads,
      convolution: convolution, imageIndices: nil)
  }

  private static func create(
    at path: String, kind: JobManifest.Kind, network: Network, images: DataSplit,
    recalibration: DataSplit?, problem: [UInt8]?, batchSize: Int, threads: Int,
    convolution: ConvolutionAlgorithm, imageIndices: [Int]?
  ) throws(ClusterError) -> JobFolder {
    guard !DurableFile.exists(path + "/job.json") else {
      throw .cannotWrite(path: path, reason: "it already holds a job; choose another folder")
    }
    do {
      try DurableFile.makeDirectory(path)
    } catch {
      throw .cannotWrite(path: path, reason: "\(error)")
    }
    let modelBytes: [UInt8]
    do {
      modelBytes = try Checkpoint.encode(network)
    } catch {
      throw .cannotWrite(path: path + "/model.ck", reason: "\(error)")
    }
    func put(_ name: String, _ bytes: [UInt8]) throws(ClusterError) -> HashedFile {
      do {
        try DurableFile.write(bytes, to: path + "/" + name)
      } catch {
        throw .cannotWrite(path: path + "/" + name, reason: "\(error)")
      }
      return HashedFile(path: name, contents: bytes)
    }
    let manifest = JobManifest(
      format: JobManifest.currentFormat, kind: kind, threads: threads, convolution: convolution,
      batchSize: batchSize,
      imageShape: images.imageShape, model: try put("model.ck", modelBytes),
      images: try put("images.bin", ImageFile.encode(images)),
      recalibration: try recalibration.map { r throws(ClusterError) in
        try put("recalibration.bin", ImageFile.encode(r))
      },
      problem: try problem.map { p throws(ClusterError) in try put("problem.json", p) },
      imageIndices: imageIndices)
    let bytes = try JobFolder.encode(manifest, path: path + "/job.json")
    _ = try put("job.json", bytes)
    return JobFolder(path: path, manifest: manifest, manifestHash: ContentHash.hex(bytes))
  }

  /// Opens the job folder at `path` (reads and checks `job.json`).
  public static func open(_ path: String) throws(ClusterError) -> JobFolder {
    let file = path + "/job.json"
    let bytes: [UInt8]
    do {
      bytes = try DurableFile.read(file, limit: 1 << 26)
    } catch {
      throw .damaged(path: file, problem: "\(error)")
    }
    let manifest = try decode(JobManifest.self, bytes, path: file)
    guard manifest.format == JobManifest.currentFormat else {
      throw .damaged(
        path: file,
        problem: "format \(manifest.format); this build reads \(JobManifest.currentFormat)")
    }
    return JobFolder(path: path, manifest: manifest, manifestHash: ContentHash.hex(bytes))
  }

  /// The folder of round `round`.
  public func roundPath(_ round: Int) -> String { path + "/" + JobFolder.roundName(round) }

  /// `round-0003`.
  public static func roundName(_ round: Int) -> String { "round-" + padded(round) }

  /// `shard-0002.json` and friends.
  public static func shardName(_ task: Int) -> String { "shard-" + padded(task) + ".json" }
  public static func resultName(_ task: Int) -> String { "result-" + padded(task) + ".json" }
  public static func errorName(_ task: Int) -> String { "error-" + padded(task) + ".txt" }

  /// Writes the shards of round `round` (items split into contiguous, nearly equal parts, at
  /// most `tasks`); returns each shard's content hash, by task.
  public func writeShards(
    round: Int, genomes: [BlendGenome]? = nil, cases: [SensitivityCase]? = nil, tasks: Int
  )
    throws(ClusterError) -> [(range: Range<Int>, hash: String)]
  {
    let count = genomes?.count ?? cases?.count ?? 0
    let folder = roundPath(round)
    do {
      try DurableFile.makeDirectory(folder)
    } catch {
      throw .cannotWrite(path: folder, reason: "\(error)")
    }
    var result: [(Range<Int>, String)] = []
    for (task, range) in JobFolder.partition(count, into: tasks).enumerated() {
      let shard = JobShard(
        format: JobManifest.currentFormat, round: round, task: task, manifestHash: manifestHash,
        genomes: genomes.map { Array($0[range]) }, cases: cases.map { Array($0[range]) })
      let file = folder + "/" + JobFolder.shardName(task)
      let bytes = try JobFolder.encode(shard, path: file)
      do {
        try DurableFile.write(bytes, to: file)
      } catch {
        throw .cannotWrite(path: file, reason: "\(error)")
      }
      result.append((range, ContentHash.hex(bytes)))
    }
    return result
  }

  /// `count` items in at most `parts` contiguous ranges, sizes differing by at most one, the
  /// larger first (a static partition: the same for the same numbers).
  public static func partition(_ count: Int, into parts: Int) -> [Range<Int>] {
    let n = max(1, min(parts, count))
    guard count > 0 else { return [] }
    var ranges: [Range<Int>] = []
    var start = 0
    for k in 0..<n {
      let size = count / n + (k < count % n ? 1 : 0)
      ranges.append(start..<(start + size))
      start += size
    }
    return ranges
  }

  /// The result of task `task` of round `round` if it is there, checked against the shard it
  /// answers (`shardHash`), or nil when it has not been written.
  public func result(round: Int, task: Int, shardHash: String) throws(ClusterError) -> JobResult? {
    let file = roundPath(round) + "/" + JobFolder.resultName(task)
    guard DurableFile.exists(file) else { return nil }
    let bytes: [UInt8]
    do {
      bytes = try DurableFile.read(file, limit: 1 << 26)
    } catch {
      throw .damaged(path: file, problem: "\(error)")
    }
    let r = try JobFolder.decode(JobResult.self, bytes, path: file)
    guard r.round == round, r.task == task else {
      throw .damaged(path: file, problem: "it answers task \(r.task) of round \(r.round)")
    }
    guard r.manifestHash == manifestHash, r.shardHash == shardHash,
      r.modelHash == manifest.model.hash, r.imagesHash == manifest.images.hash
    else {
      throw .damaged(
        path: file, problem: "its content hashes are not those of this job's files")
    }
    return r
  }

  /// The worker's error message of task `task`, if it wrote one.
  public func errorMessage(round: Int, task: Int) -> String? {
    let file = roundPath(round) + "/" + JobFolder.errorName(task)
    guard let bytes = try? DurableFile.read(file, limit: 1 << 16) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func encode<T: Encodable>(_ value: T, path: String) throws(ClusterError) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    do {
      return Array(try encoder.encode(value))
    } catch {
      throw .cannotWrite(path: path, reason: "\(error)")
    }
  }

  static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], path: String)
    throws(ClusterError) -> T
  {
    do {
      return try JSONDecoder().decode(type, from: Data(bytes))
    } catch {
      throw .damaged(path: path, problem: "it is not a valid \(type) (\(error))")
    }
  }

  private static func padded(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
  }
}
