import TensorCore
import Testing

@testable import Datasets

@Suite struct BatchSamplerTests {
  /// `n` images of 1×2×2; image k holds 4k + 1 … 4k + 4 (top-left to bottom-right) and label k.
  private func split(_ n: Int) -> DataSplit {
    DataSplit(
      images: (0..<(4 * n)).map { Float($0 + 1) }, labels: (0..<n).map { Int32($0) },
      channels: 1, height: 2, width: 2)
  }

  /// Every batch of epoch `epoch` as (images, labels).
  private func batches(
    _ sampler: BatchSampler, epoch: Int, of split: DataSplit
  ) -> [([Float], [Int32])] {
    var result: [([Float], [Int32])] = []
    var batch = Batch()
    var iterator = sampler.epoch(epoch, of: split)
    while iterator.next(into: &batch) { result.append((batch.images, batch.labels)) }
    return result
  }

  @Test func evaluationVisitsEveryImageInOrder() throws {
    let sampler = try BatchSampler.evaluation(batchSize: 5)
    let data = split(12)
    #expect(sampler.batchCount(for: 12) == 3)
    let all = batches(sampler, epoch: 0, of: data)
    #expect(all.map(\.1) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]])
    #expect(all[2].0 == [41, 42, 43, 44, 45, 46, 47, 48])
    #expect(all.flatMap(\.0) == data.images)
  }

  @Test func batchReportsItsShape() throws {
    let sampler = try BatchSampler.evaluation(batchSize: 4)
    var batch = Batch()
    var iterator = sampler.epoch(0, of: split(6))
    #expect(iterator.batchCount == 2)
    let gotFirst = iterator.next(into: &batch)
    #expect(gotFirst)
    #expect(batch.shape == [4, 1, 2, 2])
    let gotSecond = iterator.next(into: &batch)
    #expect(gotSecond)
    #expect(batch.shape == [2, 1, 2, 2])
    #expect(batch.images.count == 8)
    let gotThird = iterator.next(into: &batch)
    #expect(!gotThird)
  }

  @Test func dropLastLeavesOutTheShortBatch() throws {
    let sampler = try BatchSampler(
      batchSize: 5, shuffle: false, dropLast: true, rng: SeededRNG(seed: 1))
    #expect(sampler.batchCount(for: 12) == 2)
    #expect(batches(sampler, epoch: 0, of: split(12)).map(\.1.count) == [5, 5])
    #expect(batches(sampler, epoch: 0, of: split(4)).isEmpty)
  }

  @Test func shuffledEpochIsAPermutationWithImagesMatchingLabels() throws {
    let sampler = try BatchSampler(batchSize: 4, rng: SeededRNG(seed: 9))
    let all = batches(sampler, epoch: 0, of: split(10))
    let labels = all.flatMap(\.1)
    #expect(labels.sorted() == (0..<10).map { Int32($0) })
    #expect(labels != (0..<10).map { Int32($0) })
    let images = all.flatMap(\.0)
    for (row, label) in labels.enumerated() {
      #expect(images[row * 4] == Float(4 * Int(label) + 1))
    }
  }

  @Test func sameSeedGivesIdenticalBatchesAndOtherSeedsDiffer() throws {
    let data = split(20)
    let augmentation = Augmentation(cropPadding: 1, flipProbability: 0.5)
    func run(seed: UInt64, epoch: Int) throws -> [([Float], [Int32])] {
      let sampler = try BatchSampler(
        batchSize: 6, augmentation: augmentation, rng: SeededRNG(seed: seed))
      return batches(sampler, epoch: epoch, of: data)
    }
    let first = try run(seed: 42, epoch: 3)
    let again = try run(seed: 42, epoch: 3)
    #expect(first.map(\.0) == again.map(\.0))
    #expect(first.map(\.1) == again.map(\.1))
    #expect(try run(seed: 43, epoch: 3).map(\.1) != first.map(\.1))
    #expect(try run(seed: 42, epoch: 4).map(\.1) != first.map(\.1))
  }

  @Test func flipWithProbabilityOneReversesEveryRow() throws {
    let sampler = try BatchSampler(
      batchSize: 3, shuffle: false, augmentation: Augmentation(flipProbability: 1),
      rng: SeededRNG(seed: 5))
    let all = batches(sampler, epoch: 0, of: split(3))
    #expect(all.count == 1)
    #expect(all[0].0 == [2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11])
  }

  @Test func randomCropGivesOnlyPaddedShifts() throws {
    let one = DataSplit(
      images: Array(repeating: [1, 2, 3, 4], count: 60).flatMap { $0 },
      labels: Array(repeating: 0, count: 60), channels: 1, height: 2, width: 2)
    // The nine crops of [[1,2],[3,4]] padded by one zero, for offsets (dy, dx) in 0...2.
    let shifts: Set<[Float]> = [
      [0, 0, 0, 1], [0, 0, 1, 2], [0, 0, 2, 0],
      [0, 1, 0, 3], [1, 2, 3, 4], [2, 0, 4, 0],
      [0, 3, 0, 0], [3, 4, 0, 0], [4, 0, 0, 0],
    ]
    let sampler = try BatchSampler(
      batchSize: 60, augmentation: Augmentation(cropPadding: 1), rng: SeededRNG(seed: 8))
    let images = batches(sampler, epoch: 0, of: one)[0].0
    var seen = Set<[Float]>()
    for k in 0..<60 {
      let crop = Array(images[(4 * k)..<(4 * k + 4)])
      #expect(shifts.contains(crop))
      seen.insert(crop)
    }
    #expect(seen.count > 4)
  }

  @Test func reusedBatchKeepsItsStorage() throws {
    let sampler = try BatchSampler(
      batchSize: 4, augmentation: .cifar, rng: SeededRNG(seed: 2))
    var batch = Batch()
    var iterator = sampler.epoch(0, of: split(16))
    let started = iterator.next(into: &batch)
    #expect(started)
    let address = batch.images.withUnsafeBufferPointer { $0.baseAddress }
    let labelAddress = batch.labels.withUnsafeBufferPointer { $0.baseAddress }
    while iterator.next(into: &batch) {
      let current = batch.images.withUnsafeBufferPointer { $0.baseAddress }
      let currentLabels = batch.labels.withUnsafeBufferPointer { $0.baseAddress }
      #expect(current == address)
      #expect(currentLabels == labelAddress)
    }
    #expect(iterator.batchesDone == 4)
  }

  @Test func callerBuffersAreFilled() throws {
    let sampler = try BatchSampler.evaluation(batchSize: 2)
    var iterator = sampler.epoch(0, of: split(3))
    var images: [Float] = []
    var labels: [Int32] = []
    let first = iterator.next(images: &images, labels: &labels)
    let second = iterator.next(images: &images, labels: &labels)
    #expect(first == 2)
    #expect(second == 1)
    #expect(images == [9, 10, 11, 12])
    #expect(labels == [2])
    let third = iterator.next(images: &images, labels: &labels)
    #expect(third == nil)
  }

  @Test func badSettingsAreRejected() {
    #expect(
      throws: DatasetError.invalidArgument(
        name: "batch size", value: "0", expected: "a positive number")
    ) {
      try BatchSampler(batchSize: 0, rng: SeededRNG(seed: 1))
    }
    #expect(throws: DatasetError.self) {
      try BatchSampler(
        batchSize: 1, augmentation: Augmentation(cropPadding: -1), rng: SeededRNG(seed: 1))
    }
    #expect(throws: DatasetError.self) {
      try BatchSampler(
        batchSize: 1, augmentation: Augmentation(flipProbability: 1.5), rng: SeededRNG(seed: 1))
    }
  }
}
