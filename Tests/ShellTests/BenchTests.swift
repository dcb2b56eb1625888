import Foundation
import Testing

/// `shears bench --only`: one network measured in this process, one JSON object out (the
/// parent run of `shears bench` reads exactly these keys from its children).
@Suite("shears bench", .serialized)
struct BenchTests {
  @Test("bench --only prints one case with the report's keys")
  func onlyOneNetwork() throws {
    let folder = try TemporaryFolder()
    let result = try ShearsProcess.run(
      [
        "bench", "--only", "vgg-small", "--steps", "1", "--batch", "2", "--threads", "1",
        "--profile",
      ],
      in: folder.path)
    #expect(result.status == 0, "\(result.errors)")
    let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    let json = try #require(object as? [String: Any])
    #expect(
      Set(json.keys) == [
        "network", "input", "batch", "threads", "trainImagesPerSecond",
        "inferenceImagesPerSecond", "trainStepMilliseconds", "peakMemoryMB", "macs", "parameters",
      ])
    #expect(json["network"] as? String == "vgg-small")
    #expect(json["input"] as? [Int] == [1, 28, 28])
    #expect(json["batch"] as? Int == 2 && json["threads"] as? Int == 1)
    let rate = try #require(json["trainImagesPerSecond"] as? Double)
    let ms = try #require(json["trainStepMilliseconds"] as? Double)
    #expect(rate > 0 && ms > 0)
    #expect(abs(2 / rate * 1000 - ms) <= 1e-6 * ms)  // the same median step, two units
    #expect((json["peakMemoryMB"] as? Double ?? 0) > 0)
    #expect(result.errors.contains("per-step time by node (ms)"))
    #expect(result.errors.contains("per-inference-step time by node (ms)"))
  }

  @Test("bench --only refuses an unknown network with the choices")
  func unknownNetwork() throws {
    let folder = try TemporaryFolder()
    let result = try ShearsProcess.run(["bench", "--only", "alexnet"], in: folder.path)
    #expect(result.status != 0)
    #expect(result.errors.contains("unknown network 'alexnet'"))
    #expect(result.errors.contains("resnet20, resnet56, vgg-small"))
  }
}
