import DurableIO
import Testing

@Suite("Content hash")
struct ContentHashTests {
  @Test("FNV-1a-64 matches the published test vectors")
  func fnvVectors() {
    // Vectors from the FNV reference (and recomputed in Python with the same recurrence).
    #expect(ContentHash.hex([]) == "cbf29ce484222325")
    #expect(ContentHash.hex(Array("a".utf8)) == "af63dc4c8601ec8c")
    #expect(ContentHash.hex(Array("foobar".utf8)) == "85944171f73967e8")
    // Python: fnv1a64(struct.pack('<3i', 0, 1, -1)).
    #expect(ContentHash.hex(int32s: [0, 1, -1]) == "e206d4b7906fc9d0")
  }
}
