import Datasets
import Foundation
import Testing

private let installed = FileManager.default.fileExists(
  atPath: Dataset.defaultFashionMNISTDirectory + "/train-images-idx3-ubyte.gz")

@Suite struct FashionMNISTTests {
  @Test(
    "loads the installed Fashion-MNIST",
    .enabled(
      if: installed,
      "Fashion-MNIST is not installed at /usr/share/datasets/fashion-mnist (apt install dataset-fashion-mnist)"
    ))
  func realFashionMNIST() throws {
    let data = try Dataset.fashionMNIST()
    #expect(data.train.count == 60000)
    #expect(data.test.count == 10000)
    #expect(data.imageShape == [1, 28, 28])
    #expect(data.train.images.count == 60000 * 784)
    // Reference values from Python: gzip + numpy.frombuffer on the same files
    // (labels[:5], numpy.bincount(labels), image byte sums).
    #expect(data.train.classCounts(classes: 10) == Array(repeating: 6000, count: 10))
    #expect(data.test.classCounts(classes: 10) == Array(repeating: 1000, count: 10))
    #expect(data.train.labels.allSatisfy { (0..<10).contains($0) })
    #expect(Array(data.train.labels.prefix(5)) == [9, 0, 0, 3, 0])
    #expect(Array(data.test.labels.prefix(5)) == [9, 2, 1, 1, 6])
    func byteSum(_ image: ArraySlice<Float>) -> Int {
      Int(image.reduce(0.0) { $0 + Double($1) * 255 }.rounded())
    }
    #expect(byteSum(data.train.image(0)) == 76247)
    #expect(byteSum(data.train.image(59999)) == 16684)
    #expect(byteSum(data.test.image(0)) == 33456)
  }
}
