// swift-tools-version:6.0
import PackageDescription

// Shears: a notebook shell for structured pruning of CNNs. Module graph (arrows = may import;
// nothing imports upward; ARCHITECTURE.md explains each module):
//   shears → Notebook → CommandRuntime → CommandLanguage (imports nothing)
//   CommandRuntime → Benchmarking → Pruning → NeuralNet → Datasets → TensorCore → (CDNNL, CBLAS)
//   Pruning → Statistics, DurableIO (latency cache); NeuralNet, Datasets → CZlib; Notebook → TensorCore (library versions)
//   shears → LineEditing → (CLibEdit, CEditLineShim); shears-microbench → Benchmarking, Pruning
// Leaves: Render (CommandRuntime, Notebook, shears draw with it), Statistics, and DurableIO
// (atomic files, capped reads, content hashes; used by Datasets, NeuralNet, Pruning,
// LineEditing, CommandRuntime, Notebook, shears). ClusterExecution (job folders, workers, local and Slurm
// executors) → Pruning, NeuralNet, DurableIO; CommandRuntime and shears import it. CommandRuntime, shears → ONNX → NeuralNet, Datasets,
// DurableIO, SwiftProtobuf (code generated once from onnx.proto, committed).
// TestSupport (→ TensorCore) is for test targets only.
// The picture to keep is ../shared/DESIGN.md; ARCHITECTURE.md says where the code differs.

let package = Package(
  name: "Shears",
  products: [
    .library(name: "TensorCore", targets: ["TensorCore"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
  ],
  targets: [
    // MARK: - System libraries (Debian packages, installed by scripts/setup)
    .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(
      name: "CBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),

    // MARK: - Engine
    .target(name: "TensorCore", dependencies: ["CDNNL", "CBLAS"], exclude: ["README.md"]),

    .target(name: "DurableIO", exclude: ["README.md"]),
    .target(
      name: "Datasets", dependencies: ["TensorCore", "DurableIO", "CZlib"], exclude: ["README.md"]),
    .target(
      name: "NeuralNet", dependencies: ["TensorCore", "Datasets", "DurableIO", "CZlib"],
      exclude: ["README.md"]),

    .target(name: "Statistics", exclude: ["README.md"]),
    .target(
      name: "Pruning",
      dependencies: ["NeuralNet", "TensorCore", "Datasets", "Statistics", "DurableIO", "CBLAS"],
      exclude: ["README.md"]),
    .target(name: "Render", exclude: ["README.md"]),
    .target(
      name: "Benchmarking", dependencies: ["Pruning", "NeuralNet", "TensorCore", "Datasets"],
      exclude: ["README.md"]),
    // ONNX export and import; Sources/ONNX/Generated is protoc output, committed.
    .target(
      name: "ONNX",
      dependencies: [
        "NeuralNet", "TensorCore", "Datasets", "DurableIO",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      exclude: ["README.md"]),

    // Job folders, workers and executors (in process, Slurm) for fitness evaluations.
    .target(
      name: "ClusterExecution",
      dependencies: ["Pruning", "NeuralNet", "Datasets", "TensorCore", "DurableIO"],
      exclude: ["README.md"]),

    // MARK: - Language and shell
    .target(name: "CommandLanguage", exclude: ["README.md"]),
    .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    .target(name: "CEditLineShim"),
    .target(
      name: "LineEditing", dependencies: ["CLibEdit", "CEditLineShim", "DurableIO"],
      exclude: ["README.md"]),
    .target(
      name: "CommandRuntime",
      dependencies: [
        "CommandLanguage", "Pruning", "Statistics", "NeuralNet", "Datasets", "TensorCore", "Render",
        "Benchmarking", "DurableIO", "ONNX", "ClusterExecution",
      ],
      exclude: ["README.md"]),

    .target(
      name: "Notebook",
      dependencies: ["CommandRuntime", "CommandLanguage", "Render", "TensorCore", "DurableIO"],
      exclude: ["README.md"]),

    // MARK: - Tools
    .executableTarget(
      name: "shears-microbench", dependencies: ["TensorCore", "Pruning", "Benchmarking"]),
    .executableTarget(
      name: "shears-fuzz",
      dependencies: [
        "CommandLanguage", "CommandRuntime", "Notebook", "NeuralNet", "Datasets", "ONNX",
      ],
      exclude: ["README.md"]),
    .executableTarget(
      name: "shears",
      dependencies: [
        "NeuralNet", "TensorCore", "Render", "CommandRuntime", "CommandLanguage", "LineEditing",
        "Pruning", "ONNX",
        "Notebook", "Benchmarking", "DurableIO", "ClusterExecution",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // MARK: - Test support and tests
    .target(name: "TestSupport", dependencies: ["TensorCore"], exclude: ["README.md"]),
    .testTarget(name: "DurableIOTests", dependencies: ["DurableIO"]),
    .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TestSupport"]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TensorCore", "CZlib"]),
    .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TestSupport"]),
    .testTarget(name: "RenderTests", dependencies: ["Render"]),
    .testTarget(
      name: "PruningTests",
      dependencies: [
        "Pruning", "Statistics", "TestSupport", "NeuralNet", "TensorCore", "Datasets", "DurableIO",
      ]),
    .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "TestSupport"]),
    .testTarget(
      name: "ONNXTests",
      dependencies: ["ONNX", "NeuralNet", "TensorCore", "Datasets", "Pruning"],
      exclude: ["Fixtures"]),
    .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
    .testTarget(
      name: "BenchmarkingTests",
      dependencies: ["Benchmarking", "NeuralNet", "TensorCore", "Pruning"]),
    .testTarget(name: "LineEditingTests", dependencies: ["LineEditing", "TestSupport"]),
    .testTarget(name: "CommandLanguageTests", dependencies: ["CommandLanguage"]),
    .testTarget(
      name: "CommandRuntimeTests",
      dependencies: [
        "CommandRuntime", "CommandLanguage", "NeuralNet", "Datasets", "TensorCore", "Render",
        "Pruning", "DurableIO", "ONNX",
      ]),
    .testTarget(
      name: "ClusterExecutionTests",
      dependencies: [
        "ClusterExecution", "shears", "Pruning", "NeuralNet", "Datasets", "TensorCore", "DurableIO",
      ]),
    .testTarget(name: "ShellTests", dependencies: ["shears", "TestSupport"]),
    .testTarget(
      name: "NotebookTests",
      dependencies: ["Notebook", "CommandRuntime", "CommandLanguage", "DurableIO"]),
  ]
)
