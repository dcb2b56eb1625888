import CZlib

/// Gzip detection and whole-buffer decompression through zlib.
enum Gzip {
  /// Whether `bytes` start with the gzip magic number (1f 8b).
  static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  }

  /// The file's contents: decompressed when it is gzip, as they are otherwise.
  static func readMaybeCompressed(_ path: String) throws(DatasetError) -> [UInt8] {
    let raw = try FileSystem.readAll(path)
    return isGzip(raw) ? try inflate(raw, path: path) : raw
  }

  /// Decompresses a whole gzip file (one member or several concatenated ones).
  ///
  /// Anything after the last member that is not another member, a cut-off stream or damaged data
  /// is a `corruptGzip` error naming `path`.
  static func inflate(_ input: [UInt8], path: String) throws(DatasetError) -> [UInt8] {
    var stream = z_stream()
    // windowBits 15 + 16: a gzip wrapper (not zlib, not raw deflate).
    let initStatus = inflateInit2_(
      &stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard initStatus == Z_OK else {
      throw .corruptGzip(path: path, message: "zlib could not start (status \(initStatus))")
    }
    guard !input.isEmpty else { throw .corruptGzip(path: path, message: "the file is empty") }
    defer { inflateEnd(&stream) }

    var output = [UInt8](repeating: 0, count: initialCapacity(for: input))
    var produced = 0
    var failure: String? = nil
    input.withUnsafeBufferPointer { inBuffer in
      // `input` is not empty (checked above), so its base address exists.
      stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress!)
      var remainingIn = inBuffer.count
      stream.avail_in = 0
      while true {
        // Feed input in pieces that fit zlib's 32-bit counters.
        if stream.avail_in == 0 && remainingIn > 0 {
          let piece = min(remainingIn, Int(UInt32.max))
          stream.avail_in = UInt32(piece)
          remainingIn -= piece
        }
        if produced == output.count {
          output.append(contentsOf: repeatElement(0, count: max(output.count, 1 << 16)))
        }
        let status: Int32 = output.withUnsafeMutableBufferPointer { outBuffer in
          let room = min(outBuffer.count - produced, Int(UInt32.max))
          // `output` grew above when full, so it is never empty here.
          stream.next_out = outBuffer.baseAddress! + produced
          stream.avail_out = UInt32(room)
          let status = CZlib.inflate(&stream, Z_NO_FLUSH)
          produced += room - Int(stream.avail_out)
          return status
        }
        switch status {
        case Z_OK:
          continue
        case Z_STREAM_END:
          let left = Int(stream.avail_in) + remainingIn
          if left == 0 { return }
          // Another gzip member may follow (as `cat a.gz b.gz` makes); anything else is damage.
          // zlib leaves `next_in` at the first unread byte of our non-empty input.
          let next = stream.next_in!
          if left >= 2 && next[0] == 0x1F && next[1] == 0x8B {
            inflateReset(&stream)
            continue
          }
          failure = "\(left) bytes of trailing data after the end of the gzip stream"
          return
        case Z_BUF_ERROR where stream.avail_out == 0:
          continue  // output full: grow and go on
        case Z_BUF_ERROR:
          failure = "unexpected end of file: the gzip stream is cut short"
          return
        default:
          let detail = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
          failure = detail
          return
        }
      }
    }
    if let failure { throw .corruptGzip(path: path, message: failure) }
    output.removeLast(output.count - produced)
    return output
  }

  /// A first guess at the decompressed size: the gzip trailer's ISIZE (size mod 2^32 of the
  /// last member), kept within what deflate can produce from this input (at most about 1032
  /// bytes per input byte) and 1 GiB; the buffer grows if the guess is short.
  private static func initialCapacity(for input: [UInt8]) -> Int {
    guard input.count >= 18 else { return 1 << 16 }
    let n = input.count
    let isize =
      Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16
      | Int(input[n - 1]) << 24
    return min(isize + 1, input.count * 1032 + (1 << 16), 1 << 30)
  }
}
