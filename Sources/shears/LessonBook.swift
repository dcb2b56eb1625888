import CommandRuntime
import DurableIO
import Foundation
import Notebook

/// The lesson book: every lesson of a folder run and recorded, its recording replayed and
/// verified bit for bit, and exported as one HTML page (narration as prose between the cells,
/// pictures as inline SVG), with an index page linking them.
///
/// Layout of the output folder:
/// ```
/// index.html              the lessons, their titles, first paragraph, cells and run time
/// 01-criteria.html …      one page per lesson (previous / index / next links on top)
/// runs/01-criteria.json   the verified recordings (values in runs/01-criteria.blobs/)
/// ```
struct LessonBook {
  let catalog: LessonCatalog
  let folder: String
  let settings: RuntimeSettings

  /// One lesson as recorded.
  struct Chapter {
    var lesson: Lesson
    var title: String
    var summary: String
    var cells: Int
    var seconds: Double
  }

  /// Writes the book; returns the exit status (0, or the first lesson's failure).
  func write() throws -> Int32 {
    try NotebookError.translating { try DurableFile.makeDirectory(folder) }
    try NotebookError.translating { try DurableFile.makeDirectory(folder + "/runs") }
    var chapters: [Chapter] = []
    // One loader for every run and replay: Fashion-MNIST is read and decoded once.
    let loader = DatasetLoader()
    for lesson in catalog.lessons {
      let source = try ScriptFile.read(lesson.path)
      let run = folder + "/runs/" + lesson.name + ".json"
      let start = Date()
      let output = TerminalOutput.detect(quiet: true)
      let runtime = try Runtime(
        options: settings.options(recordStyle: output.baseStyle), output: output, loader: loader)
      var runner = ScriptRunner(runtime: runtime, output: output, echo: false)
      let recording = try SessionRecording.start(
        run, overwrite: true, runtime: runtime, output: output)
      runner.session = recording.session
      let status = runner.runFile(source: source, name: lesson.path)
      try recording.finish(quiet: true)
      guard status == ExitStatus.ok else {
        Console.error("\(lesson.name): the lesson failed; the book stops here")
        return status
      }
      // Verify the recording as a reader would: loaded from disk, replayed on a fresh runtime.
      let loaded = try SessionFile.load(run)
      let replayRuntime = try Runtime(
        options: loaded.session.header.options.runtimeOptions,
        output: TerminalOutput.detect(quiet: true), loader: loader)
      let report = try Replayer(session: loaded.session, blobs: loaded.blobs)
        .run(on: replayRuntime, verify: true)
      if let divergence = report.divergence {
        Console.error("\(lesson.name): the recorded run does not verify: \(divergence)")
        return ExitStatus.verifyMismatch
      }
      let seconds = Date().timeIntervalSince(start)
      let narration = loaded.session.cells.filter(\.isText).map(\.input)
      // The first paragraph of prose: the narration without its heading lines.
      let prose = narration.joined(separator: "\n\n").split(
        separator: "\n", omittingEmptySubsequences: false
      ).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
      let summary =
        prose.components(separatedBy: "\n\n").first {
          !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      chapters.append(
        Chapter(
          lesson: lesson, title: lesson.title(source: source),
          summary: summary.replacingOccurrences(of: "\n", with: " "),
          cells: loaded.session.cells.count { !$0.isText }, seconds: seconds))
      var page = NotebookExporter(session: loaded.session, title: chapters.last!.title).html()
      page = page.replacingOccurrences(
        of: "<body>\n", with: "<body>\n" + navigation(chapters.count - 1), options: [],
        range: page.range(of: "<body>\n"))
      try NotebookError.translating {
        try DurableFile.write(page, to: folder + "/" + lesson.name + ".html")
      }
      Console.line(
        "\(lesson.name): \(chapters.last!.cells) cells in \(String(format: "%.1f", seconds)) s "
          + "(run and verified) → \(folder)/\(lesson.name).html")
    }
    try NotebookError.translating {
      try DurableFile.write(index(chapters), to: folder + "/index.html")
    }
    Console.line("wrote \(folder)/index.html (\(chapters.count) lessons)")
    return ExitStatus.ok
  }

  /// Links to the previous lesson, the index and the next lesson.
  private func navigation(_ index: Int) -> String {
    let lessons = catalog.lessons
    var links: [String] = []
    if index > 0 { links.append(link(lessons[index - 1].name + ".html", "← previous")) }
    links.append(link("index.html", "all lessons"))
    if index + 1 < lessons.count {
      links.append(link(lessons[index + 1].name + ".html", "next →"))
    }
    return "<nav class=\"status\">" + links.joined(separator: " · ") + "</nav>\n"
  }

  private func link(_ target: String, _ text: String) -> String {
    "<a href=\"\(MarkdownProse.escape(target))\">\(MarkdownProse.escape(text))</a>"
  }

  /// The index page.
  private func index(_ chapters: [Chapter]) -> String {
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>Shears lessons</title>
      <style>
      body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
      li { margin: 0.8rem 0; line-height: 1.4; }
      .status { color: #555; font-size: 0.9rem; }
      </style>
      </head>
      <body>
      <h1>Shears lessons</h1>
      <p>Structured pruning of convolutional networks, step by step, on Fashion-MNIST. Each
      page is a recorded run of a lesson script, replayed and verified before it was written;
      <code>shears lesson N</code> steps through the same lesson at the live prompt.</p>
      <ol>

      """
    for chapter in chapters {
      out += "<li><a href=\"\(MarkdownProse.escape(chapter.lesson.name)).html\">"
      out += MarkdownProse.inline(chapter.title) + "</a><br>"
      out += MarkdownProse.inline(chapter.summary)
      out += "<br><span class=\"status\">\(chapter.cells) cells, "
      out += String(format: "%.1f", chapter.seconds) + " s to run and verify · "
      out += "<a href=\"runs/\(MarkdownProse.escape(chapter.lesson.name)).json\">recording</a>"
      out += "</span></li>\n"
    }
    return out + "</ol>\n</body>\n</html>\n"
  }
}
