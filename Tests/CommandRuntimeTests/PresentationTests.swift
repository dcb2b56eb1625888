import CommandRuntime
import Foundation
import Render
import Testing

@Suite("show, plot, explain, save and load")
struct PresentationTests {
  @Test("plot m layer=… kind=weights draws the layer's weights with the fitted Gaussian")
  func weightHistogram() throws {
    let (runtime, sink) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let outcome = runtime.execute("plot m layer=features.0.conv kind=weights bins=10")
    #expect(outcome.status == .ok)
    guard case .picture(.histogram(let histogram))? = sink.items.last else {
      Issue.record("expected a histogram, got \(String(describing: sink.items.last))")
      return
    }
    let model = try #require(runtime.environment["m"]?.value as? ModelValue)
    let weights = try #require(model.network.parameters["features.0.conv.weight"]).scalars.map(
      Double.init)
    // 8 filters × 1 channel × 3 × 3; mean and sample standard deviation computed here.
    #expect(histogram.total == 72)
    #expect(histogram.counts.count == 10)
    let mean = weights.reduce(0, +) / 72
    let sd = (weights.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 71).squareRoot()
    let curve = try #require(histogram.gaussian)
    #expect(abs(curve.mean - mean) < 1e-12)
    #expect(abs(curve.standardDeviation - sd) < 1e-12)
    #expect(outcome.renderedText.contains("n = 72"))
  }

  @Test("plot refuses a layer the model does not have, with a suggestion")
  func unknownLayer() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    // layer1.0.conv1 is a zoo layer (ResNet), so it checks, but vgg-small has no such layer.
    let outcome = runtime.execute("plot m layer=layer1.0.conv1")
    guard case .error(.runtime, let message) = outcome.status else {
      Issue.record("expected a runtime error")
      return
    }
    #expect(message.hasPrefix("plot: layer: vgg-small has no layer 'layer1.0.conv1'"))
    let misspelt = runtime.execute("plot m layer=features.0.cnv")
    #expect(
      misspelt.diagnostics.first?.message
        == "unknown name 'features.0.cnv'; did you mean 'features.0.conv'?")
  }

  @Test("plot of scores and data sets draws bars")
  func bars() throws {
    let (runtime, sink) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model, "s = score m by l2", "plot s", "plot d"])
    let charts = sink.items.compactMap { item -> BarChart? in
      if case .picture(.barChart(let chart)) = item { return chart }
      return nil
    }
    #expect(charts.count == 2)
    #expect(charts[0].bars.map(\.label) == (0..<6).map { "features.\($0).conv" })
    #expect(charts[1].bars.map(\.value) == [32, 32, 32, 32])  // 128 images, 4 balanced classes
    let refused = runtime.execute("plot 3")
    #expect(refused.status != .ok)
  }

  @Test("explain l1 m names the filter with the smallest ℓ1 norm")
  func explainWithModel() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let outcome = runtime.execute("explain l1 m")
    #expect(outcome.status == .ok)
    let model = try #require(runtime.environment["m"]?.value as? ModelValue)
    let weights = try #require(model.network.parameters["features.0.conv.weight"]).scalars
    let sums = (0..<8).map { i in (0..<9).reduce(0.0) { $0 + Double(abs(weights[9 * i + $1])) } }
    let lowest = try #require(sums.indices.min { sums[$0] < sums[$1] })
    #expect(outcome.renderedText.contains("In features.0.conv, filter \(lowest) scores lowest"))
    #expect(outcome.renderedText.contains("score_i = Σ_{c,u,v} |W[i,c,u,v]|"))
    let plain = runtime.execute("explain similarity")
    #expect(plain.renderedText.hasPrefix("Two criteria are similar in a layer"))
    let groups = runtime.execute("explain groups m")
    #expect(groups.renderedText.contains("vgg-small has no residual additions"))
  }

  @Test("explain groups lists the residual streams of a ResNet")
  func groupsOfResNet() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, ["r = model resnet20 channels=1 size=8 classes=4 width=0.25"])
    let outcome = runtime.execute("explain groups r")
    // Three stages, each stream written by the stem or first block's conv2 and every conv2.
    #expect(outcome.renderedText.contains("stream:conv1"))
    #expect(outcome.renderedText.contains("layer1.0.conv2, layer1.1.conv2, layer1.2.conv2"))
  }

  @Test("save then load gives the same weights and figures")
  func saveAndLoad() throws {
    let folder = try Fixtures.TemporaryFolder()
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let path = folder.path + "/m.ckpt"
    Fixtures.run(runtime, ["save m to \"\(path)\"", "m2 = load \"\(path)\""])
    let original = try #require(runtime.environment["m"]?.value as? ModelValue)
    let loaded = try #require(runtime.environment["m2"]?.value as? ModelValue)
    #expect(
      loaded.network.parameters.mapValues(\.scalars)
        == original.network.parameters.mapValues(\.scalars))
    #expect(loaded.figures == original.figures)
    #expect(loaded.metadata["history"] == original.metadata["history"]! + "\nload \(path)")
  }

  @Test("bench times a small model")
  func bench() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let outcome = runtime.execute("bench m batch=4 steps=1")
    #expect(outcome.status == .ok)
    #expect(outcome.renderedText.contains("| train "))
    #expect(outcome.renderedText.contains("| inference "))
  }
}
