import Foundation
import Testing

@testable import DurableIO

/// A new empty directory under the system's temporary directory, removed by `cleanUp`.
private func temporaryDirectory() throws -> String {
  let path = NSTemporaryDirectory() + "shears-durable-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

private func cleanUp(_ path: String) {
  chmod(path, 0o755)
  try? FileManager.default.removeItem(atPath: path)
}

private func listing(_ path: String) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: path).sorted()
}

private func contents(_ path: String) throws -> String {
  try String(contentsOfFile: path, encoding: .utf8)
}

@Suite("Durable file writes")
struct DurableFileWriteTests {
  @Test func writeCreatesThenReplacesWithoutLeftovers() throws {
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/a.txt"
    try DurableFile.write("first", to: path)
    #expect(try contents(path) == "first")
    try DurableFile.write(Array("second, longer".utf8), to: path)
    #expect(try contents(path) == "second, longer")
    try DurableFile.write([], to: path)
    #expect(try contents(path) == "")
    #expect(try listing(directory) == ["a.txt"])
  }

  @Test func permissionsAreThoseAsked() throws {
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/secret"
    let mask = umask(0o022)
    defer { umask(mask) }
    try DurableFile.write("x", to: path, permissions: 0o600)
    var info = stat()
    #expect(stat(path, &info) == 0)
    #expect(info.st_mode & 0o777 == 0o600)
  }

  @Test func aFailedRenameKeepsWhatWasThere() throws {
    // A non-empty directory at the target: the temporary file is written, the rename fails.
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    let target = directory + "/out.json"
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
    try "keep".write(toFile: target + "/inside", atomically: false, encoding: .utf8)
    #expect(
      throws: DurableFileError.cannotWrite(
        path: target,
        reason: "renaming the temporary file over it failed: a directory is in the way")
    ) { try DurableFile.write("new", to: target) }
    #expect(try listing(directory) == ["out.json"])
    #expect(try contents(target + "/inside") == "keep")
  }

  @Test(.enabled(if: getuid() != 0, "root ignores directory permissions"))
  func anUnwritableDirectoryKeepsTheOldContent() throws {
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/a.txt"
    try DurableFile.write("old", to: path)
    #expect(chmod(directory, 0o555) == 0)
    #expect(
      throws: DurableFileError.cannotWrite(
        path: path,
        reason: "cannot create a file in the directory '\(directory)': permission denied "
          + "(check the owner and mode of the file and folder)")
    ) { try DurableFile.write("new", to: path) }
    #expect(chmod(directory, 0o755) == 0)
    #expect(try contents(path) == "old")
    #expect(try listing(directory) == ["a.txt"])
  }

  @Test func aMissingDirectoryIsNamed() throws {
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/nope/a.txt"
    #expect(
      throws: DurableFileError.cannotWrite(
        path: path, reason: "the directory '\(directory)/nope' does not exist")
    ) { try DurableFile.write("x", to: path) }
    #expect(try listing(directory).isEmpty)
  }

  @Test func aPathThatNamesNoFileIsRefused() throws {
    #expect(
      throws: DurableFileError.cannotWrite(path: "/tmp/", reason: "the path does not name a file")
    ) {
      try DurableFile.write("x", to: "/tmp/")
    }
    #expect(throws: DurableFileError.self) { try DurableFile.write("x", to: "..") }
  }

  @Test func refuseLeavesAnExistingFileAndNamesIt() throws {
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/mine.csv"
    try DurableFile.write("precious", to: path, ifExists: .refuse)  // absent: written
    #expect(try contents(path) == "precious")
    do {
      try DurableFile.write("other", to: path, ifExists: .refuse)
      Issue.record("an existing file was replaced")
    } catch {
      #expect(error == .alreadyExists(path: path))
      #expect("\(error)".hasPrefix("\(path): it already exists"))
    }
    #expect(try contents(path) == "precious")
    #expect(try listing(directory) == ["mine.csv"])
    // A dangling symbolic link counts as something there.
    let link = directory + "/link.csv"
    #expect(symlink(directory + "/absent", link) == 0)
    #expect(throws: DurableFileError.alreadyExists(path: link)) {
      try DurableFile.write("x", to: link, ifExists: .refuse)
    }
  }

  @Test func appendAddsTheHeaderOnlyToANewFile() throws {
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/journal"
    try DurableFile.append(Array("a\n".utf8), to: path, header: Array("H\n".utf8))
    try DurableFile.append(Array("b\n".utf8), to: path, header: Array("H\n".utf8), sync: false)
    #expect(try contents(path) == "H\na\nb\n")
  }

  @Test func makeDirectoryCreatesParentsAndRefusesAFile() throws {
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    try DurableFile.makeDirectory(directory + "/x/y/z")
    try DurableFile.makeDirectory(directory + "/x/y/z")  // already there: fine
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: directory + "/x/y/z", isDirectory: &isDirectory))
    #expect(isDirectory.boolValue)
    try DurableFile.write("f", to: directory + "/file")
    #expect(throws: DurableFileError.notADirectory(path: directory + "/file")) {
      try DurableFile.makeDirectory(directory + "/file/sub")
    }
    try DurableFile.makeDirectory(directory + "/private", permissions: 0o700)
    var info = stat()
    #expect(stat(directory + "/private", &info) == 0 && info.st_mode & 0o777 == 0o700)
  }
}

@Suite("Durable file reads")
struct DurableFileReadTests {
  @Test func readReturnsTheBytesAndNamesProblems() throws {
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/data"
    let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    try DurableFile.write(bytes, to: path)
    #expect(try DurableFile.read(path) == bytes)
    #expect(throws: DurableFileError.notFound(path: directory + "/absent")) {
      try DurableFile.read(directory + "/absent")
    }
    #expect(throws: DurableFileError.isDirectory(path: directory)) {
      try DurableFile.read(directory)
    }
    #expect(throws: DurableFileError.tooLarge(path: path, size: 70_000, limit: 1000)) {
      try DurableFile.read(path, limit: 1000)
    }
    #expect(try DurableFile.read(path, limit: 70_000).count == 70_000)
  }

  @Test func readOfAFileThatFstatCannotSizeStillReadsItAll() throws {
    // /proc files report size 0; the loop must read until end of file, not trust the size.
    let bytes = try DurableFile.read("/proc/self/status")
    #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("Name:"))
  }

  @Test(.enabled(if: getuid() != 0, "root reads anything"))
  func anUnreadableFileSaysPermissionDenied() throws {
    let directory = try temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/closed"
    try DurableFile.write("x", to: path, permissions: 0o000)
    #expect(
      throws: DurableFileError.cannotRead(
        path: path, reason: "permission denied (check the owner and mode of the file and folder)")
    ) { try DurableFile.read(path) }
  }
}

@Suite("Durable file loops")
struct DurableFileLoopTests {
  @Test func writeLoopGoesOnAfterInterruptionsAndPartialWrites() {
    let source = Array(UInt8(0)..<UInt8(100))
    var written: [UInt8] = []
    var calls = 0
    let failure = source.withUnsafeBytes { buffer in
      DurableFile.writeAll(buffer) { pointer, count in
        calls += 1
        if calls % 2 == 1 {  // every other call is interrupted by a signal
          errno = EINTR
          return -1
        }
        let n = min(count, 7)  // and the others write at most 7 bytes
        written += UnsafeRawBufferPointer(start: pointer, count: n)
        return n
      }
    }
    #expect(failure == nil)
    #expect(written == source)
    #expect(calls == 2 * 15)  // 100 bytes in 15 writes of ≤ 7, each after one EINTR
  }

  @Test func writeLoopReportsARealError() {
    let failure = [UInt8](repeating: 1, count: 10).withUnsafeBytes { buffer in
      DurableFile.writeAll(buffer) { _, _ in
        errno = ENOSPC
        return -1
      }
    }
    #expect(failure == ENOSPC)
    #expect(DurableFileError.explain(ENOSPC) == "the disk is full; free some space and try again")
  }

  @Test func readLoopGoesOnAfterInterruptionsAndShortReads() {
    let source = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
    var offset = 0
    var calls = 0
    func fakeRead(_ pointer: UnsafeMutableRawPointer, _ count: Int) -> Int {
      calls += 1
      if calls % 3 == 0 {
        errno = EINTR
        return -1
      }
      let n = min(count, 13, source.count - offset)
      pointer.copyMemory(from: Array(source[offset..<offset + n]), byteCount: n)
      offset += n
      return n
    }
    // The size hint is wrong both ways: the file is longer than fstat said, or shorter.
    #expect(DurableFile.readAll(sizeHint: 10, limit: 5000, using: fakeRead) == .bytes(source))
    offset = 0
    #expect(DurableFile.readAll(sizeHint: 4000, limit: 5000, using: fakeRead) == .bytes(source))
    offset = 0
    #expect(DurableFile.readAll(sizeHint: 10, limit: 999, using: fakeRead) == .tooLarge(1000))
    #expect(DurableFile.readAll(sizeHint: 6000, limit: 5000, using: fakeRead) == .tooLarge(6000))
  }

  @Test func readLoopReportsARealError() {
    let outcome = DurableFile.readAll(sizeHint: 8, limit: 100) { _, _ in
      errno = EIO
      return -1
    }
    #expect(outcome == .failed(EIO))
  }
}
