import Datasets
import DurableIO
import Foundation
import NeuralNet
import SwiftProtobuf

/// Reads an ONNX model of a CNN — as `torch.onnx.export` writes it, or as ``ONNXExporter``
/// does — into a ``NeuralNet/Network``.
///
/// Supported: `Conv` (square kernels, no dilation, one group), `BatchNormalization` (inference
/// form; or folded into `Conv` by the exporter), `Relu`, `MaxPool`, `AveragePool`,
/// `GlobalAveragePool` (and `ReduceMean` over H and W), `Add` of two maps, `Flatten`, `Gemm`,
/// and the nodes around them that carry no computation Shears needs a node for: `Identity`,
/// `Dropout`, `Cast`, `Constant`, and `Shape`/`Gather`/`Unsqueeze`/`Concat`/`Reshape` chains
/// that only flatten. Strided `Slice` on H and W with `Pad` (and `Gather`, `Slice`) on channels
/// become the option-A shortcut; `Sub`/`Mul`/`Div` by constants right at the input become
/// ``ONNXImportResult/normalization``. Anything else is refused with
/// ``ONNXError/unsupportedOperator(path:node:opType:supported:)``.
///
/// Only the batch axis of the input may be dynamic. Initializers hold the weights (external
/// data files are refused). Node names follow the weights (`layer1.0.conv1.weight` →
/// `layer1.0.conv1`) or PyTorch's scope names (`/layer1/layer1.0/relu/Relu` → `layer1.0.relu`).
///
/// ```swift
/// let imported = try ONNXImporter.load(from: "resnet20.onnx")
/// print(imported.network.macs)
/// ```
public enum ONNXImporter {
  /// Reads and imports the file at `path`; the network is named after the file unless its
  /// metadata names the model.
  public static func load(from path: String) throws -> ONNXImportResult {
    let url = URL(fileURLWithPath: path)
    let bytes: [UInt8]
    do {
      // Protobuf messages (and so ONNX files with their weights inside) stop at 2 GiB.
      bytes = try DurableFile.read(path, limit: Int(Int32.max))
    } catch {
      throw ONNXError.unreadable(path: path, problem: error.reason)
    }
    let stem = url.deletingPathExtension().lastPathComponent
    return try decode(
      bytes, path: path, name: stem.isEmpty ? "onnx-model" : stem,
      directory: url.deletingLastPathComponent().path)
  }

  /// Imports ONNX bytes; `path` names the source in errors, `name` is the network's name unless
  /// the metadata has one; `directory` is where external weight files are looked for (nil:
  /// refused).
  public static func decode(
    _ bytes: [UInt8], path: String = "(in memory)", name: String = "onnx",
    directory: String? = nil
  ) throws -> ONNXImportResult {
    guard !bytes.isEmpty else {
      throw ONNXError.notAModel(path: path, problem: "the file is empty (0 bytes)")
    }
    if bytes.starts(with: Array("SHEARSCK".utf8)) {
      throw ONNXError.notProtobuf(
        path: path, detail: "it is a Shears checkpoint; load it without format=onnx")
    }
    let model: Onnx_ModelProto
    do {
      model = try Onnx_ModelProto(serializedBytes: bytes)
    } catch BinaryDecodingError.truncated {
      throw ONNXError.truncated(path: path)
    } catch {
      throw ONNXError.notProtobuf(path: path, detail: "\(error)")
    }
    return try importModel(model, path: path, name: name, directory: directory)
  }

  /// Checks the model's header and imports its graph.
  static func importModel(
    _ model: Onnx_ModelProto, path: String, name: String, directory: String? = nil
  ) throws -> ONNXImportResult {
    guard model.hasGraph, !model.graph.node.isEmpty else {
      throw ONNXError.notAModel(
        path: path,
        problem: "it has no graph (a protobuf message, but not an ONNX model, or cut short)")
    }
    guard model.irVersion > 0 else {
      throw ONNXError.notAModel(path: path, problem: "it declares no IR version")
    }
    let defaultOpset = model.opsetImport.first { $0.domain == "" || $0.domain == "ai.onnx" }
    guard let opset = defaultOpset?.version else {
      throw ONNXError.notAModel(
        path: path, problem: "it imports no version of the default operator set")
    }
    guard opset >= ONNXFormat.minimumImportOpset else {
      throw ONNXError.notAModel(
        path: path,
        problem: "opset \(opset) is older than \(ONNXFormat.minimumImportOpset); export again "
          + "with opset_version=13 or newer")
    }
    var metadata: [String: String] = [:]
    for entry in model.metadataProps { metadata[entry.key] = entry.value }
    let networkName = metadata[ONNXFormat.Key.model].flatMap { $0.isEmpty ? nil : $0 } ?? name

    var reader = try ONNXGraphReader(
      graph: model.graph, path: path, opset: opset, directory: directory)
    let (network, normalization) = try reader.read(name: networkName)

    var classNames: [String]? = nil
    if let json = metadata[ONNXFormat.Key.classNames], let data = json.data(using: .utf8),
      let names = try? JSONDecoder().decode([String].self, from: data),
      names.count == network.classes
    {
      classNames = names
    }
    let hasBN = network.nodes.contains {
      if case .batchNorm = $0.operation { true } else { false }
    }
    let producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(
      separator: " ")
    return ONNXImportResult(
      network: network, normalization: normalization, classNames: classNames,
      metadata: metadata, producer: producer.isEmpty ? "unknown" : producer,
      batchNormFolded: !hasBN && reader.foldedConvolutions > 0)
  }
}
