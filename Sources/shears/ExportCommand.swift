import ArgumentParser
import DurableIO
import Foundation
import Notebook

/// `shears export FILE --format md|html`: a recorded session as a readable notebook.
struct ExportCommand: ParsableCommand {
  /// The export formats.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case md, html
  }

  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a recorded session as a Markdown or HTML notebook.",
    discussion: """
      Every cell's input as code, what it showed (text, tables), its status and figures, \
      and its pictures as SVG: inline in the HTML page; for Markdown as files in \
      NAME.export/ beside NAME.md. The output goes beside the session (NAME.md or \
      NAME.html) unless --output names it; an existing file is kept unless --overwrite.

      Exit status: 0 written; 1 usage, a file that cannot be read or written, or an \
      existing output; 5 the session is damaged (truncated or invalid JSON, not a session, \
      a newer format). Nothing is written when the session cannot be read.

      A folder of lessons (NN-name.shears) makes the lesson book instead: each lesson is       run and recorded (runs/NN-name.json), its recording replayed and verified, and written       as one HTML page, plus index.html — in FOLDER-book/ unless --output names the folder.       --limit N runs the lessons on N images (a quick build, as CI does); --seed and       --threads are the runs'.

      Example: shears export quickstart.json --format html
      Example: shears export sessions/lessons --format html --limit 128
      """)

  @Argument(help: "The session file (or journal), or a folder of lessons.")
  var file: String

  @OptionGroup var settings: RuntimeSettings

  @Option(help: "md (Markdown with SVG files) or html (one page).")
  var format: Format

  @Option(help: "The output file (default: beside the session, .md or .html).")
  var output: String?

  @Flag(help: "Replace an existing output file.")
  var overwrite = false

  func run() throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
      try exportBook()
      return
    }
    let session: Session
    do {
      session = try SessionFile.load(file).session
      // Export shows what was recorded: refuse a file edited after recording (a forged table
      // or figure); `replay --verify` then says what differs.
      if let broken = SessionChain.firstBreak(in: session) {
        throw NotebookError.chainBroken(
          path: file, detail: "\(broken); replay --verify shows what differs")
      }
    } catch {
      throw sessionFailure(error)
    }
    let base = Self.base(of: file)
    let target = output ?? base + "." + format.rawValue
    if !overwrite && FileManager.default.fileExists(atPath: target) {
      throw sessionFailure(
        NotebookError.exists(path: target, hint: "pass --overwrite to replace it"))
    }
    let title = URL(fileURLWithPath: base).lastPathComponent
    let exporter = NotebookExporter(session: session, title: title)
    do {
      switch format {
      case .html:
        try NotebookError.translating { try DurableFile.write(exporter.html(), to: target) }
      case .md:
        let targetURL = URL(fileURLWithPath: target)
        let folderName = targetURL.deletingPathExtension().lastPathComponent + ".export"
        let folder = targetURL.deletingLastPathComponent().appendingPathComponent(folderName)
        let document = exporter.markdown(pictureFolder: folderName)
        if !document.files.isEmpty {
          try NotebookError.translating { try DurableFile.makeDirectory(folder.path) }
        }
        for file in document.files {
          let path = targetURL.deletingLastPathComponent().appendingPathComponent(file.path).path
          try NotebookError.translating { try DurableFile.write(file.contents, to: path) }
        }
        try NotebookError.translating { try DurableFile.write(document.text, to: target) }
      }
    } catch {
      throw sessionFailure(error)
    }
    Console.line("wrote \(target)")
  }

  /// The lesson book of the folder `file` (HTML only).
  private func exportBook() throws {
    guard format == .html else {
      Console.error("error: the lesson book is HTML: pass --format html")
      throw ExitCode(ExitStatus.usage)
    }
    var base = file
    while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
    let target = output ?? base + "-book"
    if !overwrite && FileManager.default.fileExists(atPath: target) {
      throw sessionFailure(
        NotebookError.exists(path: target, hint: "pass --overwrite to rebuild the book there"))
    }
    let catalog: LessonCatalog
    do {
      catalog = try LessonCatalog.open(file)
    } catch {
      Console.error("error: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
    let status: Int32
    do {
      status = try LessonBook(catalog: catalog, folder: target, settings: settings).write()
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw sessionFailure(error)
    }
    try exitIfFailed(status)
  }

  /// The session path without `.json` or `.journal`.
  static func base(of path: String) -> String {
    for suffix in [".json", ".journal"] where path.hasSuffix(suffix) {
      return String(path.dropLast(suffix.count))
    }
    return path
  }
}
