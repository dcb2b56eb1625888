import ArgumentParser
import CommandRuntime
import Render
import TensorCore

/// The options every command that runs a session takes.
struct RuntimeSettings: ParsableArguments {
  @Option(
    help: """
      The session seed: the same seed, thread count and inputs give the same bits. Each \
      statement draws from the seed and what it computes (its binding and inputs), so lines \
      that only show something change nothing later.
      """)
  var seed: UInt64 = 1

  @Option(
    help: """
      OpenMP threads for oneDNN. Results depend on the count: it is recorded in the session \
      and replay uses the recorded one.
      """)
  var threads: Int = 2

  @Option(
    help: """
      How convolutions are computed: winograd (Winograd F(4×4,3×3) for 3×3 stride-1 layers \
      where oneDNN has it, direct elsewhere; faster) or direct. Results depend on it: it is \
      recorded in the session and replay uses the recorded one.
      """)
  var convolution: ConvolutionAlgorithm = .default

  @Option(
    name: .long,
    help: "Keep at most this many train and test images in every data set (for quick runs).")
  var limit: Int?

  @Flag(help: "Print each command before its output.")
  var echo = false

  @Flag(help: "Print only warnings and errors.")
  var quiet = false

  func validate() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
  }

  /// The runtime options, recording rendered text in `style` without colour.
  func options(recordStyle style: TerminalStyle) -> RuntimeOptions {
    RuntimeOptions(
      seed: seed, threads: threads, convolution: convolution, dataLimit: limit,
      recordStyle: style)
  }

  /// A runtime writing to `output`, or the exit status 1 after printing why it cannot start.
  func makeRuntime(output: TerminalOutput) throws -> Runtime {
    do {
      return try Runtime(options: options(recordStyle: output.baseStyle), output: output)
    } catch {
      Console.error("error: cannot start the engine: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
  }
}

extension ConvolutionAlgorithm: ExpressibleByArgument {}
