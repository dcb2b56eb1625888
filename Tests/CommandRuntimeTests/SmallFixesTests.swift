import CommandRuntime
import Render
import Testing

/// The smaller things issue 13 found: Ctrl-C during data, help for meta commands, signs and
/// bar labels of small values.
@Suite("Small fixes from hostile testing")
struct SmallFixesTests {
  @Test("Ctrl-C pressed while data loads stops the cell; nothing is bound")
  func interruptData() throws {
    let (runtime, _) = try Fixtures.runtime()
    var asked = 0
    // The first question (before the command starts) says no; the next, inside data, yes.
    runtime.shouldStop = {
      asked += 1
      return asked > 1
    }
    let outcome = runtime.execute(Fixtures.data)
    #expect(outcome.status == .interrupted)
    #expect(runtime.environment["d"] == nil)
  }

  @Test(":help :save explains the meta command, not the model command save")
  func helpMeta() throws {
    let (runtime, sink) = try Fixtures.runtime()
    #expect(runtime.execute(":help :save").status == .ok)
    guard case .text(let text)? = sink.items.last else {
      Issue.record("no help text")
      return
    }
    #expect(text.hasPrefix(":save FILE — write the session so far"))
    let unknown = runtime.execute(":help :nope")
    #expect(
      unknown.status
        == .error(
          .runtime,
          ":help: no meta command ':nope'; the meta commands are :help, :load, :quit, :save, "
            + ":type, :vars"))
  }

  @Test("a value that rounds to zero is labelled with significant digits, not 0.000")
  func smallLabels() {
    #expect(NumberFormat.label(0.000021, decimals: 3) == "2.10e-05")
    #expect(NumberFormat.label(-0.0004, decimals: 3) == "-4.00e-04")
    #expect(NumberFormat.label(0.25, decimals: 3) == "0.250")
    #expect(NumberFormat.label(0, decimals: 3) == "0.000")
    let chart = BarChart(
      bars: [BarChart.Bar(label: "a", value: 0.00002), BarChart.Bar(label: "b", value: 0.00004)],
      decimals: 3)
    let text = chart.render(style: TerminalStyle(color: false, unicode: false, width: 40))
    #expect(text.contains("2.00e-05"))
    #expect(text.contains("4.00e-05"))
    #expect(!text.contains("0.000"))
  }

  @Test("compare writes reductions with the same minus sign as other changes")
  func asciiMinus() throws {
    let (runtime, sink) = try Fixtures.runtime()
    Fixtures.run(
      runtime,
      [
        Fixtures.data, Fixtures.model, "p = plan m by l1 ratio=50%", "m2 = prune m with p",
        "compare m m2 on d",
      ])
    let tables = sink.items.compactMap { item -> Table? in
      if case .table(let table) = item { return table }
      return nil
    }
    let cells = tables.flatMap { $0.rows.flatMap { $0 } }
    #expect(cells.contains { $0.hasPrefix("-") && $0.hasSuffix("%") })
    #expect(!cells.contains { $0.contains("−") })
  }
}
