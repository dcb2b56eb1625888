extension Dataset {
  /// Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
  public static let defaultFashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

  /// Fashion-MNIST's ten class names, by label.
  static let fashionMNISTClassNames = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
    "Ankle boot",
  ]

  /// MNIST's ten class names (the digits), by label.
  static let mnistClassNames = (0..<10).map { String($0) }

  /// CIFAR-10's ten class names, by label.
  static let cifar10ClassNames = [
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
  ]

  /// Fashion-MNIST from the four IDX files (`train-images-idx3-ubyte.gz` …, gzip or plain) in
  /// `directory`: 60000 train and 10000 test images of 1×28×28, 10 classes.
  public static func fashionMNIST(
    directory: String = defaultFashionMNISTDirectory
  ) throws(DatasetError) -> Dataset {
    try idx(name: "fashion-mnist", directory: directory, classNames: fashionMNISTClassNames)
  }

  /// MNIST from the four IDX files (`train-images-idx3-ubyte.gz` …, gzip or plain; the names
  /// with a dot, `train-images.idx3-ubyte`, work too) in `directory`.
  public static func mnist(directory: String) throws(DatasetError) -> Dataset {
    try idx(name: "mnist", directory: directory, classNames: mnistClassNames)
  }

  /// CIFAR-10 from its binary version: `data_batch_1.bin` … `data_batch_5.bin` (train) and
  /// `test_batch.bin` in `directory` or in its subfolder `cifar-10-batches-bin`.
  public static func cifar10(directory: String) throws(DatasetError) -> Dataset {
    let folder = resolveFolder(directory, marker: "data_batch_1.bin", sub: "cifar-10-batches-bin")
    let trainFiles = (1...5).map { FileSystem.join(folder, "data_batch_\($0).bin") }
    let testFile = FileSystem.join(folder, "test_batch.bin")
    for file in trainFiles + [testFile] where !FileSystem.exists(file) {
      throw .fileNotFound(path: file)
    }
    var train = CIFARReader.Records()
    for file in trainFiles { try CIFARReader.append(path: file, format: .cifar10, to: &train) }
    let test = try CIFARReader.read(path: testFile, format: .cifar10)
    return Dataset(
      name: "cifar10", train: split(train), test: split(test), classCount: 10,
      classNames: cifar10ClassNames)
  }

  /// CIFAR-100 from its binary version: `train.bin` and `test.bin` in `directory` or in its
  /// subfolder `cifar-100-binary`, keeping the fine (100) or coarse (20) labels. Class names
  /// come from `fine_label_names.txt` / `coarse_label_names.txt` when those are present.
  public static func cifar100(
    directory: String, labels: CIFAR100Labels = .fine
  ) throws(DatasetError) -> Dataset {
    let folder = resolveFolder(directory, marker: "train.bin", sub: "cifar-100-binary")
    let trainFile = FileSystem.join(folder, "train.bin")
    let testFile = FileSystem.join(folder, "test.bin")
    for file in [trainFile, testFile] where !FileSystem.exists(file) {
      throw .fileNotFound(path: file)
    }
    let format = CIFARReader.Format.cifar100(labels: labels)
    let train = try CIFARReader.read(path: trainFile, format: format)
    let test = try CIFARReader.read(path: testFile, format: format)
    let namesFile = FileSystem.join(folder, "\(labels.rawValue)_label_names.txt")
    return Dataset(
      name: labels == .fine ? "cifar100" : "cifar100-coarse", train: split(train),
      test: split(test), classCount: format.classCount,
      classNames: readNames(namesFile, count: format.classCount))
  }

  // MARK: - Helpers

  private static let idxImageShape = [1, 28, 28]

  private static func idx(
    name: String, directory: String, classNames: [String]
  ) throws(DatasetError) -> Dataset {
    guard FileSystem.isDirectory(directory) else { throw .fileNotFound(path: directory) }
    let classes = classNames.count
    let train = try idxSplit(
      images: locate(directory, "train-images-idx3-ubyte"),
      labels: locate(directory, "train-labels-idx1-ubyte"), classes: classes)
    let test = try idxSplit(
      images: locate(directory, "t10k-images-idx3-ubyte"),
      labels: locate(directory, "t10k-labels-idx1-ubyte"), classes: classes)
    return Dataset(
      name: name, train: train, test: test, classCount: classes, classNames: classNames)
  }

  /// The path of IDX file `base` in `directory`: `base.gz`, `base`, or the same with the
  /// dotted spelling (`train-images.idx3-ubyte`); `fileNotFound` names `base.gz` otherwise.
  private static func locate(_ directory: String, _ base: String) throws(DatasetError) -> String {
    let dotted = base.replacing("-idx", with: ".idx")
    for name in [base + ".gz", base, dotted + ".gz", dotted] {
      let path = FileSystem.join(directory, name)
      if FileSystem.exists(path) { return path }
    }
    throw .fileNotFound(path: FileSystem.join(directory, base + ".gz"))
  }

  private static func idxSplit(
    images imagesPath: String, labels labelsPath: String, classes: Int
  ) throws(DatasetError) -> DataSplit {
    let images = try IDXReader.read(path: imagesPath, dimensions: 3)
    let labels = try IDXReader.read(path: labelsPath, dimensions: 1)
    let found = [1, images.dimensions[1], images.dimensions[2]]
    guard found == idxImageShape else {
      throw .shapeMismatch(path: imagesPath, found: found, expected: idxImageShape)
    }
    guard images.dimensions[0] == labels.dimensions[0] else {
      throw .countMismatch(
        imagesPath: imagesPath, imagesCount: images.dimensions[0], labelsPath: labelsPath,
        labelsCount: labels.dimensions[0])
    }
    var values = [Int32](repeating: 0, count: labels.bytes.count)
    for (index, byte) in labels.bytes.enumerated() {
      guard Int(byte) < classes else {
        throw .labelOutOfRange(path: labelsPath, index: index, value: Int(byte), classes: classes)
      }
      values[index] = Int32(byte)
    }
    return DataSplit(pixels: images.bytes, labels: values, channels: 1, height: 28, width: 28)
  }

  private static func split(_ records: CIFARReader.Records) -> DataSplit {
    DataSplit(pixels: records.pixels, labels: records.labels, channels: 3, height: 32, width: 32)
  }

  /// `directory` itself if it holds `marker`, else its subfolder `sub` if that holds it, else
  /// `directory` (so the missing-file error names the place the user gave).
  private static func resolveFolder(_ directory: String, marker: String, sub: String) -> String {
    if FileSystem.exists(FileSystem.join(directory, marker)) { return directory }
    let nested = FileSystem.join(directory, sub)
    if FileSystem.exists(FileSystem.join(nested, marker)) { return nested }
    return directory
  }

  /// The non-empty lines of `path` if there are exactly `count`, else nil.
  private static func readNames(_ path: String, count: Int) -> [String]? {
    guard let bytes = try? FileSystem.readAll(path) else { return nil }
    let names = String(decoding: bytes, as: UTF8.self)
      .split(whereSeparator: { $0 == "\n" || $0 == "\r" })
      .map { line in
        String(line.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
      }
      .filter { !$0.isEmpty }
    return names.count == count ? names : nil
  }
}
