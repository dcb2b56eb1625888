import Foundation

/// A node's attributes by name, read by type (nil when absent or of another type).
struct ONNXAttributes {
  private var byName: [String: Onnx_AttributeProto] = [:]

  init(_ node: Onnx_NodeProto) {
    for a in node.attribute { byName[a.name] = a }
  }

  func int(_ name: String) -> Int64? {
    guard let a = byName[name], a.type == .int || a.hasI else { return nil }
    return a.i
  }

  func ints(_ name: String) -> [Int64]? {
    guard let a = byName[name], a.type == .ints || !a.ints.isEmpty else { return nil }
    return a.ints
  }

  func float(_ name: String) -> Float? {
    guard let a = byName[name], a.type == .float || a.hasF else { return nil }
    return a.f
  }

  func floats(_ name: String) -> [Float]? {
    guard let a = byName[name], a.type == .floats || !a.floats.isEmpty else { return nil }
    return a.floats
  }

  func string(_ name: String) -> String? {
    guard let a = byName[name], a.type == .string || a.hasS else { return nil }
    return String(decoding: a.s, as: UTF8.self)
  }

  func tensor(_ name: String) -> Onnx_TensorProto? {
    guard let a = byName[name], a.type == .tensor || a.hasT else { return nil }
    return a.t
  }
}
