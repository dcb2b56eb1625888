import Render
import Testing

@Suite struct TerminalStyleTests {
  @Test func colourOnForTTYWithUTF8Locale() {
    let style = TerminalStyle.detect(
      isTTY: true, environment: ["LANG": "en_US.UTF-8", "TERM": "xterm-256color"])
    #expect(style == TerminalStyle(color: true, unicode: true, width: 80))
  }

  @Test func colourOffWhenNotTTY() {
    let style = TerminalStyle.detect(isTTY: false, environment: ["LANG": "en_US.UTF-8"])
    #expect(!style.color)
    #expect(style.unicode)
  }

  @Test func noColorHonoured() {
    let style = TerminalStyle.detect(
      isTTY: true, environment: ["NO_COLOR": "1", "LANG": "C.UTF-8"])
    #expect(!style.color)
    #expect(style.unicode)
    // Any non-empty value counts, "0" and "false" included.
    #expect(!TerminalStyle.detect(isTTY: true, environment: ["NO_COLOR": "false"]).color)
    // no-color.org: an empty value does not disable colour.
    #expect(TerminalStyle.detect(isTTY: true, environment: ["NO_COLOR": ""]).color)
  }

  @Test func dumbTerminalHasNoColour() {
    #expect(!TerminalStyle.detect(isTTY: true, environment: ["TERM": "dumb"]).color)
  }

  @Test func unicodeFollowsLocale() {
    #expect(!TerminalStyle.detect(isTTY: true, environment: [:]).unicode)
    #expect(!TerminalStyle.detect(isTTY: true, environment: ["LANG": "C"]).unicode)
    #expect(TerminalStyle.detect(isTTY: true, environment: ["LC_ALL": "de_DE.utf8"]).unicode)
    // LC_ALL overrides LANG.
    #expect(
      !TerminalStyle.detect(isTTY: true, environment: ["LC_ALL": "POSIX", "LANG": "en.UTF-8"])
        .unicode)
    // An empty LC_ALL is ignored.
    #expect(
      TerminalStyle.detect(isTTY: true, environment: ["LC_ALL": "", "LANG": "en_GB.UTF-8"])
        .unicode)
  }

  @Test func widthFromColumns() {
    #expect(TerminalStyle.detect(isTTY: true, environment: ["COLUMNS": "132"]).width == 132)
    #expect(TerminalStyle.detect(isTTY: true, environment: ["COLUMNS": "wide"]).width == 80)
    #expect(TerminalStyle.detect(isTTY: true, environment: ["COLUMNS": "-3"]).width == 80)
    #expect(TerminalStyle.detect(isTTY: true, environment: [:]).width == 80)
    #expect(TerminalStyle(color: false, unicode: false, width: 0).width == 1)
  }
}
