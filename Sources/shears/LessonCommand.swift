import ArgumentParser
import CommandLanguage
import DurableIO
import Foundation
import Notebook

/// `shears lesson [N]`: lists the lessons, or steps through lesson N at the shell's prompt.
struct LessonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lesson",
    abstract: "List the lessons, or step through one at the live prompt.",
    discussion: """
      Without a number: the lessons (sessions/lessons/NN-name.shears) with how far you are \
      in each. With one: the lesson's narration, then its next cell — Enter runs it; type \
      any command to try things with the lesson's variables; :next goes on, :quit leaves. \
      Everything (your own commands too) is recorded in a session journal, and your place is \
      kept in $XDG_STATE_HOME/shears/lessons.json, so shears lesson N resumes where you \
      stopped (--restart starts it over). A progress file that cannot be read is moved aside \
      (lessons.json.damaged) and the lesson starts from the beginning.

      Example: shears lesson 3
      """)

  @ArgumentParser.Argument(help: "The lesson number (shears lesson lists them).")
  var number: Int?

  @Option(
    help: "The lessons folder (default: $SHEARS_LESSONS, or the checkout's sessions/lessons).")
  var lessons: String?

  @Flag(help: "Start the lesson from the beginning, even if you were part-way through.")
  var restart = false

  @OptionGroup var settings: RuntimeSettings

  func run() throws {
    let catalog: LessonCatalog
    do {
      catalog = try LessonCatalog.open(lessons)
      if let number { _ = try catalog.lesson(number) }
    } catch {
      Console.error("error: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
    let keeper = ProgressKeeper()
    guard let number else {
      list(catalog, progress: keeper.progress)
      return
    }
    try step(try catalog.lesson(number), keeper: keeper)
  }

  private func list(_ catalog: LessonCatalog, progress: LessonProgress) {
    Console.line("Lessons in \(catalog.folder) (shears lesson N steps through one):")
    for lesson in catalog.lessons {
      let source = (try? ScriptFile.read(lesson.path)) ?? ""
      var state = "new"
      if let place = progress.lessons[lesson.name] {
        state = place.step >= place.steps ? "done" : "at step \(place.step) of \(place.steps)"
      }
      let title = lesson.title(source: source)
      Console.line(
        "  " + String(lesson.number).leftPadded(3) + "  " + title.padded(52) + " " + state)
    }
  }

  private func step(_ lesson: Lesson, keeper: ProgressKeeper) throws {
    let source = try ScriptFile.read(lesson.path)
    let hash = ContentHash.hex(Array(source.utf8))
    let output = TerminalOutput.detect(quiet: settings.quiet)
    let place = keeper.progress.lessons[lesson.name]
    var session: ShellSession?
    var start = 0
    if let place, !restart, place.script == hash, place.step < place.steps,
      let journal = place.journal, FileManager.default.fileExists(atPath: journal)
    {
      do {
        session = try ShellSession.resume(journal, output: output, journal: .automatic)
        start = place.step
        Console.line(
          "resuming lesson \(lesson.number) at step \(place.step) of \(place.steps) "
            + "(your session: \(journal))")
      } catch {
        Console.error(
          "warning: cannot resume your session \(journal) (\(error)); lesson \(lesson.number) "
            + "starts from the beginning")
      }
    } else if let place, !restart {
      if place.script != hash {
        Console.line("lesson \(lesson.number) changed since you started it; starting again")
      } else if place.step >= place.steps {
        Console.line("you finished lesson \(lesson.number); starting it again")
      }
    }
    if session == nil {
      let runtime = try settings.makeRuntime(output: output)
      let journal = keeper.freshJournal(for: lesson)
      do {
        session = try ShellSession.start(
          runtime: runtime, output: output, journal: journal.map { .file($0) } ?? .none)
      } catch {
        throw sessionFailure(error)
      }
    }
    guard let session else { return }
    let check = ShellCheckContext.check(script: source, runtime: session.runtime)
    if !check.diagnostics.isEmpty {
      Console.error(
        DiagnosticRenderer(style: .file(name: lesson.path)).render(check.diagnostics, in: source))
      throw ExitCode(ExitStatus.checkError)
    }
    let steps = LessonGuide.steps(of: source, check: check)
    let journalPath = session.journalPath
    let guide = LessonGuide(
      lesson: lesson, steps: steps, position: min(start, steps.count), session: session
    ) { position in
      keeper.update(
        lesson.name,
        LessonProgress.Place(
          step: position, steps: steps.count, script: hash, journal: journalPath))
    }
    if start == 0 {
      keeper.update(
        lesson.name,
        LessonProgress.Place(step: 0, steps: steps.count, script: hash, journal: journalPath))
    }
    var repl = Repl(session: session, output: output, echo: settings.echo)
    repl.guide = guide
    try exitIfFailed(repl.run())
    if !guide.isFinished {
      Console.line(
        "your place in lesson \(lesson.number) is kept: shears lesson \(lesson.number) resumes")
    }
  }
}

/// The progress file of a `shears lesson` run: read once (a damaged file moved aside, with a
/// message), updated and written atomically after each step.
final class ProgressKeeper {
  /// The file, or nil when no state folder is known (progress is then not kept).
  private(set) var path: String?
  private(set) var progress: LessonProgress
  private var warned = false

  init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    path = LessonProgress.folder(environment: environment).map { $0 + "/lessons.json" }
    progress = LessonProgress()
    guard let path else {
      Console.error("warning: neither HOME nor XDG_STATE_HOME is set: lesson progress is not kept")
      return
    }
    do {
      progress = try LessonProgress.load(path)
    } catch {
      do {
        let aside = try LessonProgress.setAside(path)
        Console.error(
          "warning: \(error); it was moved to \(aside) (nothing in it was deleted) and a new "
            + "one is started: lessons start from the beginning")
      } catch let moving {
        Console.error(
          "warning: \(error); it cannot be moved aside (\(moving)), so it is left as it is and "
            + "progress is not kept this time")
        self.path = nil
      }
    }
  }

  /// Records a lesson's place and writes the file (a failure is shown once).
  func update(_ name: String, _ place: LessonProgress.Place) {
    progress.lessons[name] = place
    guard let path else { return }
    do {
      try progress.save(path)
    } catch {
      if !warned { Console.error("warning: lesson progress cannot be saved to \(path): \(error)") }
      warned = true
    }
  }

  /// A new journal path for `lesson` in the state folder's `lessons/` (nil: not journaled).
  func freshJournal(for lesson: Lesson) -> String? {
    guard let path else { return nil }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path + "/lessons"
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      Console.error("warning: \(folder) cannot be made (\(error)); the session is not journaled")
      return nil
    }
    return JournalLocation.unused(in: folder, named: lesson.name)
  }
}

extension String {
  /// The string padded with spaces on the right to `width` characters.
  fileprivate func padded(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }

  /// The string padded with spaces on the left to `width` characters.
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
