/// A reusable batch buffer: the images of up to one batch in NCHW and their labels.
///
/// Keep one `Batch` and pass it to `BatchIterator.next(into:)` for every batch: its arrays keep
/// their storage, so the steady state allocates nothing.
public struct Batch: Sendable, Equatable {
  /// `count × channels × height × width` values (NCHW).
  public var images: [Float] = []
  /// One label per image.
  public internal(set) var labels: [Int32] = []
  /// Channels per image.
  public var channels = 0
  /// Image height.
  public var height = 0
  /// Image width.
  public var width = 0

  /// An empty batch, to be filled by an iterator.
  public init() {}

  /// The number of images in the batch.
  public var count: Int { labels.count }

  /// The shape of the images as a tensor: `[count, channels, height, width]`.
  public var shape: [Int] { [count, channels, height, width] }
}
