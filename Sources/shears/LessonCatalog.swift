import CommandLanguage
import Foundation

/// One lesson: a script `NN-name.shears` in the lessons folder.
struct Lesson: Hashable {
  /// The number in its name (`03-groups.shears`: 3).
  let number: Int
  /// The file name without `.shears` (`03-groups`): the key of its progress.
  let name: String
  /// The script's path.
  let path: String

  /// The title: the first narration line, without Markdown's heading marks, or the name.
  func title(source: String) -> String {
    guard let first = Narration.blocks(in: source).first?.text.split(separator: "\n").first
    else { return name }
    let text = first.drop { $0 == "#" || $0 == " " }
    return text.isEmpty ? name : String(text)
  }
}

/// The lessons of a folder, in number order: every `NN-name.shears` file in it.
///
/// The folder is `--lessons DIR`, else `$SHEARS_LESSONS`, else `sessions/lessons` in the
/// current folder or in a folder above the `shears` executable (a checkout's build).
struct LessonCatalog {
  /// The folder the lessons are in.
  let folder: String
  /// The lessons, by number.
  let lessons: [Lesson]

  /// The catalog of `folder`; a usage error (status 1) when it holds no lesson.
  static func open(_ folder: String?) throws -> LessonCatalog {
    guard let found = folder ?? Self.defaultFolder() else {
      throw LessonError(
        "no lessons folder: pass --lessons DIR or set SHEARS_LESSONS (the checkout's "
          + "sessions/lessons)")
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: found)) ?? []
    let lessons = names.compactMap { name -> Lesson? in
      guard name.hasSuffix(".shears") else { return nil }
      let base = String(name.dropLast(".shears".count))
      let digits = base.prefix { $0.isASCII && $0.isNumber }
      guard !digits.isEmpty, let number = Int(digits) else { return nil }
      return Lesson(number: number, name: base, path: found + "/" + name)
    }.sorted { ($0.number, $0.name) < ($1.number, $1.name) }
    guard !lessons.isEmpty else {
      throw LessonError("no lessons (NN-name.shears files) in \(found)")
    }
    return LessonCatalog(folder: found, lessons: lessons)
  }

  /// The lesson numbered `number`, or an error naming the ones there are.
  func lesson(_ number: Int) throws -> Lesson {
    if let lesson = lessons.first(where: { $0.number == number }) { return lesson }
    let numbers = lessons.map { String($0.number) }.joined(separator: ", ")
    throw LessonError(
      "there is no lesson \(number); the lessons are \(numbers) (shears lesson lists them)")
  }

  /// `$SHEARS_LESSONS`, `./sessions/lessons`, or `sessions/lessons` above the executable.
  static func defaultFolder(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String? {
    if let named = environment["SHEARS_LESSONS"], !named.isEmpty { return named }
    var candidates = [FileManager.default.currentDirectoryPath]
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
    for _ in 0..<5 {
      candidates.append(url.path)
      url = url.deletingLastPathComponent()
    }
    for base in candidates {
      let folder = base + "/sessions/lessons"
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue
      {
        return folder
      }
    }
    return nil
  }
}

/// A lesson problem the student can act on, shown as `error: …` (status 1).
struct LessonError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
