import Datasets
import Testing

@Suite struct NormalizationTests {
  /// Two images of 2 channels × 1×2: channel 0 holds 0, 1 | 2, 3 and channel 1 is all ones.
  private let train = DataSplit(
    images: [0, 1, 1, 1, 2, 3, 1, 1], labels: [0, 1], channels: 2, height: 1, width: 2)
  private let test = DataSplit(
    images: [1.5, 4, 3, 0], labels: [1], channels: 2, height: 1, width: 2)

  @Test func statisticsByHand() {
    let stats = ChannelStatistics(of: train)
    // Channel 0: mean 1.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
    #expect(stats.mean == [1.5, 1.0])
    #expect(abs(stats.std[0] - 1.118033988749895) < 1e-15)
    #expect(stats.std[1] == 0)
  }

  @Test func statisticsAgainstNumpy() {
    // values[i] = Float((i·37 mod 101) / 100), shape 3×3×2×2. Reference from numpy:
    // v.mean(axis=(0,2,3)) and v.std(axis=(0,2,3)) on the float32 values widened to float64.
    let values = (0..<36).map { Float(Double($0 * 37 % 101) / 100) }
    let split = DataSplit(images: values, labels: [0, 0, 0], channels: 3, height: 2, width: 2)
    let stats = ChannelStatistics(of: split)
    let mean = [0.4499999961505334, 0.5833333358168602, 0.46416667057201266]
    let std = [0.2945052317528439, 0.2758119337244566, 0.2981738383580753]
    for c in 0..<3 {
      #expect(abs(stats.mean[c] - mean[c]) < 1e-12)
      #expect(abs(stats.std[c] - std[c]) < 1e-12)
    }
  }

  @Test func normalisedUsesTrainStatisticsForBothSplits() {
    let data = Dataset(name: "toy", train: train, test: test, classCount: 2)
    let normalized = data.normalized()
    #expect(normalized.normalization == ChannelStatistics(of: train))
    // Channel 0: (x − 1.5) / √1.25; channel 1 has std 0, so it is only centred.
    let expectedTrain: [Float] = [
      -1.3416407865, -0.4472135955, 0, 0, 0.4472135955, 1.3416407865, 0, 0,
    ]
    let expectedTest: [Float] = [0, 2.2360679775, 2, -1]
    for (a, b) in zip(normalized.train.images, expectedTrain) { #expect(abs(a - b) < 1e-6) }
    for (a, b) in zip(normalized.test.images, expectedTest) { #expect(abs(a - b) < 1e-6) }
    #expect(normalized.description.hasSuffix(", normalised"))
    // Normalising again changes nothing.
    #expect(normalized.normalized() == normalized)
  }

  @Test func givenStatisticsAreApplied() {
    let data = Dataset(name: "toy", train: train, test: test, classCount: 2)
    let stats = ChannelStatistics(mean: [1, 0.5], std: [2, 0.25])
    let normalized = data.normalized(with: stats)
    #expect(normalized.normalization == stats)
    #expect(normalized.test.images == [0.25, 1.5, 10, -2])
  }

  @Test func emptySplitHasNeutralStatistics() {
    let empty = DataSplit(images: [], labels: [], channels: 3, height: 2, width: 2)
    #expect(ChannelStatistics(of: empty) == ChannelStatistics(mean: [0, 0, 0], std: [1, 1, 1]))
  }
}
