@preconcurrency import CLibEdit
import Glibc

// The global state that libedit's C callbacks read, and the callbacks themselves.
//
// libedit's readline emulation is one global editor per process and its completion hook is a
// C function pointer that cannot capture context, so the Swift closure it must reach lives in
// a global. This is safe because libedit calls the hook only from inside `readline()`, on the
// thread that called `readline()` (the shell's main thread), and `EditLineReader` sets the
// global just before that call and clears it just after. Nothing else reads or writes it.

/// The completion provider of the `readline()` call in progress, or `nil` outside one.
nonisolated(unsafe) var activeCompletionProvider: CompletionProvider?

/// `rl_readline_name`: lets `~/.editrc` lines prefixed with `shears:` apply to this program.
/// Allocated once and never freed, because libedit keeps the pointer.
nonisolated(unsafe) let readlineName: UnsafeMutablePointer<CChar>? = strdup("shears")

/// The word-break set handed to libedit (see ``CompletionWord/breakCharacters``); allocated
/// once and never freed, because libedit keeps the pointer.
nonisolated(unsafe) let wordBreakCharacters: UnsafeMutablePointer<CChar>? = strdup(
  CompletionWord.breakCharacters)

/// `rl_attempted_completion_function`: the candidates of ``activeCompletionProvider`` as a
/// libedit match array.
///
/// libedit passes the word to complete and its start and end as offsets in Unicode scalars
/// (it edits a wide-character buffer); `rl_line_buffer` holds the whole line as UTF-8.
func editLineAttemptedCompletion(
  _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
  rl_attempted_completion_over = 1  // never fall back to completing file names
  guard let provider = activeCompletionProvider else {
    return nil
  }
  let line: String
  if let buffer = rl_line_buffer {
    line = String(cString: buffer)
  } else {
    line = text.map { String(cString: $0) } ?? ""
  }
  let (matches, appended) = completionMatches(
    line: line, cursorScalars: Int(end), provider: provider)
  rl_completion_append_character = appended.map { Int32($0.value) } ?? 0
  return matches
}

/// Calls `provider` for `line` with the cursor given in Unicode scalars and returns the
/// candidates as a libedit match array (see ``makeMatchArray(_:)``), with the character to
/// insert after a lone candidate (see ``appendedCharacter(after:)``).
func completionMatches(
  line: String, cursorScalars: Int, provider: CompletionProvider
) -> (matches: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, appended: Unicode.Scalar?) {
  let scalars = line.unicodeScalars
  let scalarEnd =
    scalars.index(scalars.startIndex, offsetBy: max(0, cursorScalars), limitedBy: scalars.endIndex)
    ?? scalars.endIndex
  let cursor = line[..<scalarEnd].count
  let candidates = provider(line, cursor)
  return (makeMatchArray(candidates), appendedCharacter(after: candidates))
}

/// What follows a completion that leaves a single candidate: a space, except after a
/// candidate that expects more at once (ending in `=`, `/`, `(` or `[`, as `epochs=`), which
/// gets nothing.
func appendedCharacter(after candidates: [String]) -> Unicode.Scalar? {
  guard let last = Set(candidates).count == 1 ? candidates.first?.unicodeScalars.last : nil,
    "=/([".unicodeScalars.contains(last)
  else {
    return " "
  }
  return nil
}

/// A NULL-terminated, `malloc`ed array in the layout libedit expects back from
/// `rl_attempted_completion_function` (libedit frees it and its strings):
/// element 0 is the text to insert (the single candidate, or the longest common prefix of
/// several), followed by the candidates — also for a single candidate, since libedit's
/// `fn_complete` reads `matches[2]` to tell one match from several (GNU readline accepts
/// `[match, NULL]`; libedit would read past its end). Duplicates are dropped; no candidates give
/// `nil`.
func makeMatchArray(_ candidates: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
  var unique: [String] = []
  var seen: Set<String> = []
  for candidate in candidates where seen.insert(candidate).inserted {
    unique.append(candidate)
  }
  if unique.isEmpty {
    return nil
  }
  let entries = [longestCommonPrefix(unique)] + unique
  let count = entries.count + 1
  guard let raw = malloc(count * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride) else {
    return nil
  }
  let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: count)
  for (index, entry) in entries.enumerated() {
    array[index] = strdup(entry)
  }
  array[entries.count] = nil
  return array
}

/// The longest common prefix of `strings`, compared by Unicode scalar so that UTF-8 sequences
/// are never split.
func longestCommonPrefix(_ strings: [String]) -> String {
  guard var prefix = strings.first.map({ Array($0.unicodeScalars) }) else {
    return ""
  }
  for string in strings.dropFirst() {
    var length = 0
    for (a, b) in zip(prefix, string.unicodeScalars) {
      if a != b {
        break
      }
      length += 1
    }
    prefix.removeLast(prefix.count - length)
  }
  var result = ""
  result.unicodeScalars.append(contentsOf: prefix)
  return result
}
