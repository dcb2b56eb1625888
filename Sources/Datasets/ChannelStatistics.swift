/// Per-channel mean and standard deviation of a split, computed in Double, for normalising
/// images as (x − mean) / std.
///
/// The standard deviation is the population one (divided by the number of values, as
/// `numpy.std` computes it). A channel whose values are all equal has std 0; normalising it only
/// subtracts the mean.
///
/// ```swift
/// let stats = ChannelStatistics(of: dataset.train)
/// let test = stats.normalize(dataset.test)
/// ```
public struct ChannelStatistics: Sendable, Equatable, Hashable, Codable {
  /// The mean of each channel.
  public var mean: [Double]
  /// The population standard deviation of each channel.
  public internal(set) var std: [Double]

  /// Statistics given directly (e.g. published ones); one mean and one std per channel.
  public init(mean: [Double], std: [Double]) {
    precondition(mean.count == std.count, "one mean and one std per channel")
    self.mean = mean
    self.std = std
  }

  /// The statistics of every value of each channel of `split` (two passes: mean, then the mean
  /// squared deviation). An empty split gives mean 0 and std 1.
  public init(of split: DataSplit) {
    let channels = split.channels
    let plane = split.height * split.width
    let perChannel = Double(split.count * plane)
    guard split.count > 0 else {
      self.init(
        mean: Array(repeating: 0, count: channels), std: Array(repeating: 1, count: channels))
      return
    }
    var sums = [Double](repeating: 0, count: channels)
    var squares = [Double](repeating: 0, count: channels)
    split.images.withUnsafeBufferPointer { values in
      for image in 0..<split.count {
        for c in 0..<channels {
          let start = (image * channels + c) * plane
          var s = 0.0
          for i in start..<(start + plane) { s += Double(values[i]) }
          sums[c] += s
        }
      }
      let means = sums.map { $0 / perChannel }
      for image in 0..<split.count {
        for c in 0..<channels {
          let start = (image * channels + c) * plane
          let m = means[c]
          var s = 0.0
          for i in start..<(start + plane) {
            let d = Double(values[i]) - m
            s += d * d
          }
          squares[c] += s
        }
      }
    }
    self.init(
      mean: sums.map { $0 / perChannel }, std: squares.map { ($0 / perChannel).squareRoot() })
  }

  /// `split` with each value replaced by (x − mean) / std of its channel (std 0 counts as 1).
  public func normalize(_ split: DataSplit) -> DataSplit {
    precondition(
      split.channels == mean.count,
      "statistics for \(mean.count) channels applied to \(split.channels)")
    let shift = mean.map { Float($0) }
    let scale = std.map { $0 > 0 ? Float(1 / $0) : 1 }
    var result = split
    result.transformValues { value, channel in (value - shift[channel]) * scale[channel] }
    return result
  }
}
