import Foundation
import NeuralNet
import Testing

@testable import ONNX

/// Bad files are refused with typed errors that say what is wrong — never a crash.
@Suite struct ImportErrorTests {
  typealias S = ONNXTestSupport

  @Test func anUnsupportedOperatorIsNamedWithTheSupportedList() throws {
    let bytes = try S.fixture("unsupported-op.onnx")
    do {
      _ = try ONNXImporter.decode(bytes, path: "unsupported-op.onnx")
      Issue.record("imported a graph with MatMul")
    } catch ONNXError.unsupportedOperator(let path, let node, let opType, let supported) {
      #expect(path == "unsupported-op.onnx")
      #expect(opType == "MatMul")
      #expect(!node.isEmpty)
      #expect(supported.contains("Conv"))
      let message =
        "\(ONNXError.unsupportedOperator(path: path, node: node, opType: opType, supported: supported))"
      #expect(message.contains("MatMul") && message.contains(node) && message.contains("Gemm"))
    }
  }

  @Test func aHandBuiltSoftmaxIsRefusedAtItsNode() throws {
    var model = try ONNXExporter.model(
      of: try S.zooModel("lenet5", channels: 1, size: 28), options: ONNXExportOptions())
    var softmax = Onnx_NodeProto()
    softmax.name = "probabilities"
    softmax.opType = "Softmax"
    softmax.input = ["logits"]
    softmax.output = ["probs"]
    model.graph.node.append(softmax)
    model.graph.output[0].name = "probs"
    #expect(
      throws: ONNXError.unsupportedOperator(
        path: "x.onnx", node: "probabilities", opType: "Softmax",
        supported: ONNXError.supportedOperators)
    ) {
      try ONNXImporter.decode(try model.serializedBytes(), path: "x.onnx")
    }
  }

  @Test func shapesWhoseSizeOverflowsAreRefused() throws {
    // Found by the onnx fuzz target: an initializer of shape [2^40, 2^40] overflowed the element
    // count (a trap); a Reshape to such a shape went the same way.
    var model = try ONNXExporter.model(
      of: try S.zooModel("lenet5", channels: 1, size: 28), options: ONNXExportOptions())
    let huge: [Int64] = [1 << 40, 1 << 40]
    var initializer = model.graph.initializer[0]
    initializer.dims = huge
    model.graph.initializer[0] = initializer
    do {
      _ = try ONNXImporter.decode(try model.serializedBytes(), path: "x.onnx")
      Issue.record("imported a tensor of 2^80 values")
    } catch let error as ONNXError {
      #expect("\(error)".contains("more values than any file holds"), "\(error)")
    }
    #expect([1 << 40, 1 << 40].elementCount == nil)
    #expect([1 << 40, -1].elementCount == nil)
    #expect([2, 3, 4].elementCount == 24)
    #expect([Int]().elementCount == 1)
  }

  @Test func aTruncatedFileIsReportedAsTruncated() throws {
    let bytes = try S.fixture("lenet.onnx")
    // Cut inside the graph (weights), and near the start.
    for keep in [bytes.count / 2, bytes.count - 7, 40] {
      #expect(throws: ONNXError.truncated(path: "lenet.onnx")) {
        try ONNXImporter.decode(Array(bytes.prefix(keep)), path: "lenet.onnx")
      }
    }
  }

  @Test func bytesThatAreNotProtobufAreRefused() throws {
    let cases: [[UInt8]] = [
      Array("this is a text file, not a model\n".utf8),
      [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13],  // a PNG header
      Array("SHEARSCK".utf8) + [1, 0, 0, 0],
    ]
    for bytes in cases {
      do {
        _ = try ONNXImporter.decode(bytes, path: "f")
        Issue.record("accepted \(bytes.prefix(8))")
      } catch let error as ONNXError {
        switch error {
        case .notProtobuf, .notAModel, .truncated: break
        default: Issue.record("unexpected \(error)")
        }
      }
    }
    #expect(throws: ONNXError.notAModel(path: "e", problem: "the file is empty (0 bytes)")) {
      try ONNXImporter.decode([], path: "e")
    }
  }

  @Test func aDynamicHeightIsRefused() throws {
    #expect(
      throws: ONNXError.dynamicShape(
        path: "dynamic-shape.onnx", input: "input", axis: 2, symbol: "height")
    ) {
      try ONNXImporter.decode(S.fixture("dynamic-shape.onnx"), path: "dynamic-shape.onnx")
    }
  }

  @Test func aMissingFileAndAFolderAreUnreadable() throws {
    #expect(throws: ONNXError.unreadable(path: "/nonexistent/m.onnx", problem: "no such file")) {
      try ONNXImporter.load(from: "/nonexistent/m.onnx")
    }
    #expect(throws: ONNXError.self) { try ONNXImporter.load(from: S.fixtures.path) }
  }

  @Test func dilatedAndGroupedConvolutionsAreRefusedByName() throws {
    var model = try ONNXExporter.model(
      of: try S.zooModel("lenet5", channels: 1, size: 28), options: ONNXExportOptions())
    var attribute = Onnx_AttributeProto()
    attribute.name = "group"
    attribute.type = .int
    attribute.i = 2
    model.graph.node[0].attribute.append(attribute)
    do {
      _ = try ONNXImporter.decode(try model.serializedBytes(), path: "g.onnx")
      Issue.record("imported a grouped convolution")
    } catch ONNXError.unsupportedUse(_, let node, let opType, let problem) {
      #expect(node == "conv1")
      #expect(opType == "Conv")
      #expect(problem.contains("group"))
    }
  }

  /// Found by the fuzzer: a MaxPool node without outputs indexed its second output.
  @Test func aNodeWithoutOutputsIsRefusedNotACrash() throws {
    let base = try ONNXExporter.model(
      of: try S.zooModel("lenet5", channels: 1, size: 28), options: ONNXExportOptions())
    for k in base.graph.node.indices {
      var model = base
      model.graph.node[k].output = []
      #expect(throws: ONNXError.self, "node \(k) (\(base.graph.node[k].opType))") {
        try ONNXImporter.decode(try model.serializedBytes(), path: "o.onnx")
      }
    }
  }
}
