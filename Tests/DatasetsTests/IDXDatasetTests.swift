import Datasets
import Testing

@Suite struct IDXDatasetTests {
  @Test func fashionMNISTDirectoryRoundTrip() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    try writeIDXSet(
      in: dir, trainImages: markedImages(3), trainCount: 3, trainLabels: [9, 0, 4],
      testImages: markedImages(2), testCount: 2, testLabels: [1, 8])
    let data = try Dataset.fashionMNIST(directory: dir.path)
    #expect(data.name == "fashion-mnist")
    #expect(data.classCount == 10)
    #expect(data.classNames?[0] == "T-shirt/top")
    #expect(data.classNames?[9] == "Ankle boot")
    #expect(data.imageShape == [1, 28, 28])
    #expect(data.train.count == 3)
    #expect(data.test.count == 2)
    #expect(data.train.labels == [9, 0, 4])
    #expect(data.test.labels == [1, 8])
    #expect(data.normalization == nil)
    // Image k: pixel k is 255 → 1.0, the last pixel 51·(k+1) → 0.2·(k+1), all else 0.
    let expectedLast: [Float] = [0.2, 0.4, 0.6]
    for k in 0..<3 {
      let image = Array(data.train.image(k))
      #expect(image.count == 784)
      #expect(image[k] == 1.0)
      #expect(image[783] == expectedLast[k])
      #expect(image.reduce(0, +) == 1.0 + expectedLast[k])
    }
    #expect(Array(data.test.image(1))[1] == 1.0)
    #expect(data.description == "fashion-mnist: train 3×1×28×28, test 2×1×28×28, 10 classes")
  }

  @Test func mnistFromPlainDottedFiles() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    try writeIDXSet(
      in: dir, trainImages: markedImages(2), trainCount: 2, trainLabels: [5, 3],
      testImages: markedImages(1), testCount: 1, testLabels: [7], gzip: false, dotted: true)
    let data = try Dataset.mnist(directory: dir.path)
    #expect(data.name == "mnist")
    #expect(data.classNames == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
    #expect(data.train.labels == [5, 3])
    #expect(data.test.labels == [7])
    #expect(Array(data.train.image(1))[783] == 0.4)
  }

  @Test func imageAndLabelCountsMustAgree() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    try writeIDXSet(
      in: dir, trainImages: markedImages(3), trainCount: 3, trainLabels: [1, 2],
      testImages: markedImages(1), testCount: 1, testLabels: [0])
    let error = #expect(throws: DatasetError.self) {
      try Dataset.fashionMNIST(directory: dir.path)
    }
    let images = dir.file("train-images-idx3-ubyte.gz")
    let labels = dir.file("train-labels-idx1-ubyte.gz")
    #expect(
      error
        == .countMismatch(imagesPath: images, imagesCount: 3, labelsPath: labels, labelsCount: 2))
    #expect(error?.description.contains(images) == true)
    #expect(error?.description.contains(labels) == true)
  }

  @Test func labelOutsideClassesIsAnError() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    try writeIDXSet(
      in: dir, trainImages: markedImages(2), trainCount: 2, trainLabels: [1, 2],
      testImages: markedImages(2), testCount: 2, testLabels: [3, 10])
    let error = #expect(throws: DatasetError.self) {
      try Dataset.fashionMNIST(directory: dir.path)
    }
    let labels = dir.file("t10k-labels-idx1-ubyte.gz")
    #expect(error == .labelOutOfRange(path: labels, index: 1, value: 10, classes: 10))
    #expect(error?.description.contains(labels) == true)
  }

  @Test func imagesOfTheWrongSizeAreAShapeMismatch() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    try writeIDXSet(
      in: dir, trainImages: markedImages(1), trainCount: 1, trainLabels: [1],
      testImages: Array(repeating: 0, count: 27 * 28), testCount: 1, testLabels: [3],
      testSide: 27)
    let error = #expect(throws: DatasetError.self) {
      try Dataset.fashionMNIST(directory: dir.path)
    }
    let images = dir.file("t10k-images-idx3-ubyte.gz")
    #expect(error == .shapeMismatch(path: images, found: [1, 27, 28], expected: [1, 28, 28]))
    #expect(error?.description.contains("1×27×28") == true)
  }

  @Test func missingDirectoryOrFileIsFileNotFound() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let absent = dir.file("nowhere")
    #expect(throws: DatasetError.fileNotFound(path: absent)) {
      try Dataset.fashionMNIST(directory: absent)
    }
    #expect(throws: DatasetError.fileNotFound(path: dir.file("train-images-idx3-ubyte.gz"))) {
      try Dataset.mnist(directory: dir.path)
    }
  }
}
