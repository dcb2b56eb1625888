import Render
import Testing

@Suite struct ProgressBarTests {
  let ascii = TerminalStyle(color: false, unicode: false, width: 40)
  let unicode = TerminalStyle(color: false, unicode: true, width: 40)

  @Test func zeroPercent() {
    // Parts "train", "  0%", " 0/10", "ETA --:--" take 23 + 4 spaces + 2 brackets: bar 11.
    let bar = ProgressBar(label: "train", total: 10, style: ascii)
    #expect(bar.line(completed: 0, elapsed: 0) == "train [>          ]   0%  0/10 ETA --:--")
    let unicodeBar = ProgressBar(label: "train", total: 10, style: unicode)
    #expect(unicodeBar.line(completed: 0, elapsed: 0) == "train [           ]   0%  0/10 ETA --:--")
  }

  @Test func fortyFivePercent() {
    // 9/20 after 9 s: ETA 11 s. Bar 12: 0.45 * 12 = 5.4 cells -> 5 '=' and '>' in ASCII;
    // 43 eighths -> 5 full blocks and '▍' (3/8) in Unicode.
    let bar = ProgressBar(label: "train", total: 20, style: ascii)
    #expect(bar.line(completed: 9, elapsed: 9) == "train [=====>      ]  45%  9/20 ETA 0:11")
    let unicodeBar = ProgressBar(label: "train", total: 20, style: unicode)
    #expect(unicodeBar.line(completed: 9, elapsed: 9) == "train [█████▍      ]  45%  9/20 ETA 0:11")
  }

  @Test func hundredPercent() {
    let bar = ProgressBar(label: "train", total: 20, style: ascii)
    #expect(bar.line(completed: 20, elapsed: 20) == "train [============] 100% 20/20 ETA 0:00")
    #expect(bar.finalLine(completed: 20, elapsed: 20) == "train [=============] 100% 20/20 in 0:20")
    let unicodeBar = ProgressBar(label: "train", total: 20, style: unicode)
    #expect(
      unicodeBar.finalLine(completed: 20, elapsed: 20)
        == "train [█████████████] 100% 20/20 in 0:20")
  }

  @Test func epochLineWithFields() {
    let fields: [ProgressField] = [
      .metric("loss", 0.412), .percent("acc", 0.851), .rate(812.3, unit: "img/s"),
    ]
    // 120/266 after 100 s: ETA 100/120 * 146 = 121.7 s -> 2:02. Other parts take 65 of 80
    // columns, so the bar is 15: 6.77 cells -> 6 '=' + '>' ; 54 eighths -> 6 full + '▊'.
    let wide = TerminalStyle(color: false, unicode: false, width: 80)
    let line = ProgressBar(label: "epoch 1/2", total: 266, style: wide)
      .line(completed: 120, elapsed: 100, fields: fields)
    #expect(
      line == "epoch 1/2 [======>        ]  45% 120/266 loss 0.412 acc 85.1% 812 img/s ETA 2:02")
    #expect(line.count == 80)
    let unicodeLine = ProgressBar(
      label: "epoch 1/2", total: 266, style: TerminalStyle(color: false, unicode: true, width: 80)
    ).line(completed: 120, elapsed: 100, fields: fields)
    #expect(unicodeLine.contains("[██████▊        ]"))
  }

  @Test func narrowWidthDropsFieldsThenCuts() {
    let fields: [ProgressField] = [
      .metric("loss", 0.412), .percent("acc", 0.851), .rate(812.3, unit: "img/s"),
    ]
    let at60 = ProgressBar(
      label: "epoch 1/2", total: 266, style: TerminalStyle(color: false, unicode: false, width: 60)
    ).line(completed: 120, elapsed: 100, fields: fields)
    #expect(at60 == "epoch 1/2 [======>        ]  45% 120/266 loss 0.412 ETA 2:02")
    let at20 = ProgressBar(
      label: "epoch 1/2", total: 266, style: TerminalStyle(color: false, unicode: false, width: 20)
    ).line(completed: 120, elapsed: 100, fields: fields)
    #expect(at20 == "epoch 1/2 [=> ]  45%")
  }

  @Test func colourOnlyWhenEnabled() {
    let colored = ProgressBar(
      label: "t", total: 4, style: TerminalStyle(color: true, unicode: true, width: 40)
    ).line(completed: 2, elapsed: 1)
    #expect(colored.contains("\u{1B}[38;5;34m"))
    #expect(ProgressBar.visibleLength(colored) == 40)
    #expect(
      !ProgressBar(label: "t", total: 4, style: unicode).line(completed: 2, elapsed: 1)
        .contains("\u{1B}"))
  }

  @Test func etaAndRedraw() {
    #expect(ProgressBar.eta(completed: 0, total: 10, elapsed: 5) == nil)
    #expect(ProgressBar.eta(completed: 5, total: 10, elapsed: 5) == 5)
    #expect(ProgressBar.eta(completed: 12, total: 10, elapsed: 5) == 0)
    #expect(ProgressBar.redraw("abc", previousLength: 5) == "\rabc  ")
    #expect(ProgressBar.redraw("abcdef", previousLength: 5) == "\rabcdef")
    #expect(
      ProgressBar.redraw("\u{1B}[1mab\u{1B}[0m", previousLength: 3) == "\r\u{1B}[1mab\u{1B}[0m ")
  }

  @Test func degenerateTotals() {
    let none = ProgressBar(label: "", total: 0, style: ascii)
    let line = none.line(completed: 0, elapsed: 0)
    #expect(line.hasPrefix("[>"))
    #expect(line.hasSuffix("  0% 0/0 ETA --:--"))
    #expect(line.count <= 40)
  }
}
