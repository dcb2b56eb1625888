import Testing

@testable import Pruning

/// A latency model read from outside (a session, a blob) is checked before it predicts: a grid
/// whose times do not fill it, a grid out of order, a non-finite time, a conv without a
/// measured shape are each refused with a message, never an out-of-range index.
@Suite struct LatencyModelValidationTests {
  static let shape = ConvLayerShape(
    inChannels: 32, outChannels: 32, kernel: 3, stride: 1, padding: 1, height: 8, width: 8,
    readsImage: false)

  /// One conv reading and producing group `g` (32 channels), measured on a 2 × 2 grid.
  static func model() -> LatencyModel {
    LatencyModel(
      model: "toy", fingerprint: "f",
      environment: LatencyEnvironment(cpu: "c", oneDNN: "o", engine: "e"),
      batch: 4, threads: 1, block: 16,
      convs: [
        LatencyModel.ConvNode(node: "conv", shape: shape.key, inputGroup: "g", outputGroup: "g")
      ],
      layers: [
        shape.key: LayerLatency(
          shape: shape, inGrid: [16, 32], outGrid: [16, 32], seconds: [[1, 2], [3, 4]])
      ], measuredSeconds: 5, groupChannels: ["g": 32])
  }

  @Test func aWholeModelPasses() throws {
    let model = Self.model()
    try model.checkStructure()
    // measured 5 − conv time at full width 4 = 1 outside the convolutions.
    #expect(model.otherSeconds == 1)
  }

  @Test(arguments: [
    "short row", "missing row", "descending grid", "empty grid", "infinite time",
    "negative time", "unmeasured conv", "unknown group", "zero batch", "nan network time",
  ])
  func aDamagedModelIsRefused(damage: String) {
    var model = Self.model()
    let key = Self.shape.key
    switch damage {
    case "short row": model.layers[key]!.seconds[1] = [3]
    case "missing row": model.layers[key]!.seconds = [[1, 2]]
    case "descending grid": model.layers[key]!.inGrid = [32, 16]
    case "empty grid": model.layers[key]!.outGrid = []
    case "infinite time": model.layers[key]!.seconds[0][0] = .infinity
    case "negative time": model.layers[key]!.seconds[0][1] = -1
    case "unmeasured conv": model.convs[0].shape = "16→16 k3 s1 p1 @8×8"
    case "unknown group": model.convs[0].outputGroup = "h"
    case "zero batch": model.batch = 0
    default: model.measuredSeconds = .nan
    }
    #expect(throws: PruningError.self, "\(damage)") { try model.checkStructure() }
  }
}
