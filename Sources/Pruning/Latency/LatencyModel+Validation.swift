extension LatencyModel {
  /// Checks that a model read from outside (a session, a blob) is one ``predict(removed:)``
  /// can use: positive counts, finite non-negative times, every grid non-empty and ascending
  /// with a time per cell, every conv's shape measured and its groups known.
  ///
  /// ```swift
  /// try model.checkStructure()  // PruningError.invalidOption naming what is wrong
  /// ```
  public func checkStructure() throws {
    func fail(_ what: String) -> PruningError {
      PruningError.invalidOption("the latency model of \(model) is damaged: \(what)")
    }
    func isTime(_ x: Double) -> Bool { x.isFinite && x >= 0 }
    guard batch >= 1, threads >= 1, block >= 1 else {
      throw fail("batch, threads and block must be at least 1")
    }
    guard isTime(measuredSeconds), isTime(otherSeconds) else {
      throw fail("the network's times must be finite seconds ≥ 0")
    }
    if let notes {
      guard notes.count <= Self.maximumNotes,
        notes.allSatisfy({ $0.utf8.count <= Self.maximumNoteLength })
      else {
        throw fail(
          "it holds more than \(Self.maximumNotes) notes or one over "
            + "\(Self.maximumNoteLength) bytes")
      }
    }
    for (key, layer) in layers {
      let s = layer.shape
      guard s.inChannels >= 1, s.outChannels >= 1, s.kernel >= 1, s.stride >= 1,
        s.padding >= 0, s.height >= 1, s.width >= 1
      else { throw fail("shape \(key) has a count below 1") }
      for grid in [layer.inGrid, layer.outGrid] {
        guard let first = grid.first, first >= 1, zip(grid, grid.dropFirst()).allSatisfy(<)
        else { throw fail("a grid of \(key) is empty or not ascending") }
      }
      guard layer.seconds.count == layer.inGrid.count,
        layer.seconds.allSatisfy({ $0.count == layer.outGrid.count })
      else { throw fail("the times of \(key) do not fill its grid") }
      guard layer.seconds.allSatisfy({ $0.allSatisfy(isTime) }) else {
        throw fail("a time of \(key) is not finite seconds ≥ 0")
      }
    }
    for c in convs {
      guard layers[c.shape] != nil else { throw fail("conv \(c.node) has no measured shape") }
      for g in [c.inputGroup, c.outputGroup].compactMap({ $0 }) {
        guard let width = groupChannels[g], width >= 1 else {
          throw fail("conv \(c.node) follows group \(g), which has no width")
        }
      }
    }
  }
}
