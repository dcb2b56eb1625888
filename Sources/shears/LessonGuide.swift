import CommandLanguage
import CommandRuntime
import DurableIO
import Foundation

/// Steps a student through a lesson inside the shell's loop (``Repl``): before each prompt it
/// shows the narration up to the next cell and that cell's input; Enter (or `:next`) runs the
/// cell in the student's session; anything else typed runs as the student's own cell with the
/// lesson's bindings. Narration is kept in the session as text cells, and the place is saved
/// in ``LessonProgress`` after every step, so `shears lesson N` resumes there.
final class LessonGuide {
  /// One step of the script.
  enum Step {
    case narration(String)
    case cell(String)
  }

  /// The prompt while a lesson runs.
  static let prompt = "lesson> "

  let lesson: Lesson
  let steps: [Step]
  /// Steps done.
  private(set) var position: Int
  /// Whether the next cell has been shown since the last step.
  private var announced = false
  private let session: ShellSession
  private let record: (Int) -> Void

  /// A guide through `steps` from `position`, recording in `session`; `record` saves the
  /// place after each step.
  init(
    lesson: Lesson, steps: [Step], position: Int, session: ShellSession,
    record: @escaping (Int) -> Void
  ) {
    self.lesson = lesson
    self.steps = steps
    self.position = position
    self.session = session
    self.record = record
  }

  /// The steps of a lesson script: its narration blocks and cells in order.
  static func steps(of source: String, check: ScriptCheck) -> [Step] {
    let characters = Array(source)
    return check.entries(in: source).map { entry in
      switch entry {
      case .narration(let block): return .narration(block.text)
      case .statement(let statement):
        let range = statement.statement.range
        let end = min(range.offset + range.length, characters.count)
        return .cell(String(characters[range.offset..<end]))
      }
    }
  }

  /// Whether every step is done.
  var isFinished: Bool { position >= steps.count }

  /// How many cells the lesson has, and how many are done.
  private var cellCounts: (done: Int, all: Int) {
    var done = 0
    var all = 0
    for (index, step) in steps.enumerated() {
      if case .cell = step {
        all += 1
        if index < position { done += 1 }
      }
    }
    return (done, all)
  }

  /// Before a prompt: shows (and records) the narration up to the next cell and announces
  /// that cell, once per step. Returns false when the lesson is over (after saying so).
  func announce() -> Bool {
    guard !announced else { return true }
    while position < steps.count, case .narration(let text) = steps[position] {
      Console.line("")
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        Console.line(line.isEmpty ? "" : "  " + line)
      }
      session.note(text)
      position += 1
      record(position)
    }
    guard position < steps.count, case .cell(let text) = steps[position] else {
      Console.line("")
      Console.line(
        "lesson \(lesson.number) is done. Your session (every cell, yours included) is in "
          + (session.journalPath ?? "memory only")
          + "; shears export turns it into a notebook.")
      return false
    }
    let (done, all) = cellCounts
    Console.line("")
    Console.line("next (\(done + 1)/\(all)):  " + text.replacingOccurrences(of: "\n", with: " "))
    Console.line("  Enter runs it · type any command to try things · :next goes on · :quit leaves")
    announced = true
    return true
  }

  /// Runs the announced cell; the step counts only when it succeeds.
  func runNext() -> CellOutcome? {
    guard position < steps.count, case .cell(let text) = steps[position] else { return nil }
    Console.line(Repl.prompt + text)
    let outcome = session.execute(text)
    if case .ok = outcome.status {
      position += 1
      announced = false
      record(position)
    } else {
      Console.error("the lesson's step did not finish; Enter runs it again")
    }
    return outcome
  }
}
