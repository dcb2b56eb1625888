import TensorCore
import Testing

@testable import Datasets

@Suite struct SubsetTests {
  /// A 1×1×1 image per example whose single value is the example's index.
  private func indexedSplit(labels: [Int32]) -> DataSplit {
    DataSplit(
      images: labels.indices.map { Float($0) }, labels: labels, channels: 1, height: 1, width: 1)
  }

  @Test func firstKeepsTheLeadingImages() throws {
    let split = indexedSplit(labels: [4, 3, 2, 1, 0])
    let first = try split.first(3)
    #expect(first.labels == [4, 3, 2])
    #expect(first.images == [0, 1, 2])
    #expect(throws: DatasetError.self) { try split.first(6) }
    #expect(try split.first(0).count == 0)
  }

  @Test func randomSubsetIsSeededDistinctAndOrdered() throws {
    let split = indexedSplit(labels: (0..<50).map { Int32($0 % 5) })
    var rngA = SeededRNG(seed: 3)
    var rngB = SeededRNG(seed: 3)
    let a = try split.randomSubset(20, using: &rngA)
    let b = try split.randomSubset(20, using: &rngB)
    #expect(a == b)
    #expect(a.count == 20)
    let picked = a.images.map { Int($0) }
    #expect(picked == picked.sorted())
    #expect(Set(picked).count == 20)
    // Every label still belongs to its image (label = index mod 5).
    for (index, label) in zip(picked, a.labels) { #expect(Int(label) == index % 5) }
    var rngC = SeededRNG(seed: 4)
    #expect(try split.randomSubset(20, using: &rngC) != a)
  }

  @Test func stratifiedSubsetSharesEquallyAsFarAsPossible() throws {
    // Ten of class 0, ten of class 1, two of class 2.
    let labels: [Int32] = Array(repeating: 0, count: 10) + Array(repeating: 1, count: 10) + [2, 2]
    let split = indexedSplit(labels: labels)
    var rng = SeededRNG(seed: 7)
    // 12 / 3 = 4 each, but class 2 has only 2: the shortfall of 2 goes to classes 0 and 1.
    let subset = try split.stratifiedSubset(12, using: &rng)
    #expect(subset.classCounts(classes: 3) == [5, 5, 2])
    for (index, label) in zip(subset.images.map { Int($0) }, subset.labels) {
      #expect(labels[index] == label)
    }
  }

  @Test func stratifiedRemainderGoesToDifferentClasses() throws {
    let labels: [Int32] = (0..<30).map { Int32($0 % 3) }
    let split = indexedSplit(labels: labels)
    var rng = SeededRNG(seed: 11)
    #expect(try split.stratifiedSubset(9, using: &rng).classCounts(classes: 3) == [3, 3, 3])
    // 10 of 3 classes: 3 each and one class gets a fourth.
    let counts = try split.stratifiedSubset(10, using: &rng).classCounts(classes: 3)
    #expect(counts.sorted() == [3, 3, 4])
    #expect(try split.stratifiedSubset(30, using: &rng).classCounts(classes: 3) == [10, 10, 10])
  }

  @Test func datasetSubsetCutsBothSplits() throws {
    let train = indexedSplit(labels: (0..<20).map { Int32($0 % 2) })
    let test = indexedSplit(labels: (0..<10).map { Int32($0 % 2) })
    let data = Dataset(name: "toy", train: train, test: test, classCount: 2)
    var rng = SeededRNG(seed: 1)
    let small = try data.subset(train: 6, test: 4, selection: .stratified, using: &rng)
    #expect(small.train.classCounts(classes: 2) == [3, 3])
    #expect(small.test.classCounts(classes: 2) == [2, 2])
    let firsts = try data.subset(train: 5, selection: .first, using: &rng)
    #expect(firsts.train.images == [0, 1, 2, 3, 4])
    #expect(firsts.test.count == 10)
    let error = #expect(throws: DatasetError.self) {
      try data.subset(test: 11, using: &rng)
    }
    #expect(
      error == .invalidArgument(name: "subset size", value: "11", expected: "a count in 0...10"))
  }
}
