import TensorCore
import TestSupport
import Testing

// Shared helpers for the kernel tests.
//
// How the checks are made:
// - Forward and backward outputs of a fast kernel are compared with the naive reference kernels
//   of TestSupport (plain Swift, Double accumulation, Float inputs and outputs) by `closeness`
//   with `Tolerance.rtol` = 1e-4 and `Tolerance.atol` = 1e-5 (the floor for values near zero).
// - Gradients are also checked against central finite differences computed THROUGH THE FAST
//   FORWARD KERNEL in Float: f(X) = Σ G ⊙ kernel(X), the sum taken in Double, step
//   h = 1e-2·max(1, |x|) (`FDSettings.step`), compared by `FiniteDifference.compare` with a
//   floor of 1e-2 and a tolerance of 1e-2 (the Float rounding of the outputs divided by 2h
//   reaches about 5e-5 in absolute terms, so the worst measured relative error is 5e-3; the
//   curvature error of the nonlinear kernels — batch norm — is O(h²) and smaller). So each
//   backward is checked against the reference backward AND against its own forward.
// - Measured worst case of fast vs reference over all cases: 4e-6 absolute (atol is 1e-5).
// - Inputs of kernels with kinks (ReLU, fused ReLU, max pooling) are built to stay further than
//   the step from the kink or from a tie (see `awayFromZero` and `planeDistinct`).

// - Every kernel runs inside `ComputeContext.perform` of a context with ONE OpenMP thread
//   (`testContext()`). Swift Testing runs tests in parallel on its own threads; oneDNN called
//   from each of them with the default two OpenMP threads makes a spinning worker team per
//   calling thread, and on this 2-core machine one batch-norm case took 12 s instead of 0.03 s.

/// A compute context for a test: one OpenMP thread (see the note above).
func testContext() throws -> ComputeContext {
  try ComputeContext(threads: 1)
}

/// Tolerances shared by the kernel tests.
enum Tolerance {
  /// Relative tolerance of fast kernel vs reference.
  static let rtol = 1e-4
  /// Absolute floor of fast kernel vs reference, for values near zero.
  static let atol = 1e-5
}

/// Settings of the finite-difference checks through the fast (Float) forward kernels.
enum FDSettings {
  /// Relative step: each coordinate moves by `step · max(1, |x|)`.
  static let step: Float = 1e-2
  /// Floor on `|analytic| + |numeric|` in the relative error.
  static let floor = 1e-2
  /// Largest accepted relative error.
  static let tolerance = 1e-2
}

/// Activation layouts the tests run kernels on.
enum Layout: String, Sendable, CustomStringConvertible {
  case plain
  case nChw16c

  /// The descriptor of this layout for NCHW `dims`.
  func descriptor(_ dims: [Int]) -> MemoryDescriptor {
    self == .plain ? .plain(dims) : .nChw16c(dims)
  }

  var description: String { rawValue }
}

/// A plain tensor of normal draws `mean + std·N(0, 1)`.
func normalTensor(_ shape: [Int], std: Float = 1, mean: Float = 0, rng: inout SeededRNG)
  -> Tensor
{
  let count = shape.reduce(1, *)
  return Tensor(shape: shape, scalars: (0..<count).map { _ in mean + std * rng.nextNormal() })
}

/// A plain tensor whose values have a random sign and magnitude in `[margin, margin + 1)`, so
/// none lies within `margin` of zero (a ReLU kink).
func awayFromZero(_ shape: [Int], margin: Float = 0.1, rng: inout SeededRNG) -> Tensor {
  let count = shape.reduce(1, *)
  let values = (0..<count).map { _ -> Float in
    let magnitude = margin + rng.nextFloat()
    return rng.nextFloat() < 0.5 ? -magnitude : magnitude
  }
  return Tensor(shape: shape, scalars: values)
}

/// A plain NCHW tensor whose every `H×W` plane holds a random permutation of evenly spaced
/// values in `[-1, 1]`: no two values of a plane (hence of a pooling window) are closer than
/// `2/(H·W − 1)`, so max pooling has no ties and its arg-max survives a small step.
func planeDistinct(_ shape: [Int], rng: inout SeededRNG) -> Tensor {
  let plane = shape[2] * shape[3]
  let planes = shape[0] * shape[1]
  let spacing = 2 / Float(max(plane - 1, 1))
  var values: [Float] = []
  values.reserveCapacity(planes * plane)
  for _ in 0..<planes {
    values += rng.permutation(plane).map { Float($0) * spacing - 1 }
  }
  return Tensor(shape: shape, scalars: values)
}

/// The plain values of any-layout `t`.
func plainScalars(_ t: Tensor, _ ctx: ComputeContext) throws -> [Float] {
  try ctx.plain(t).scalars
}

/// `closeness` with the shared kernel-vs-reference tolerances.
func matchesReference(_ actual: [Float], _ expected: [Float], atol: Double = Tolerance.atol)
  -> String?
{
  closeness(actual, expected, rtol: Tolerance.rtol, atol: atol)
}

/// The vector–Jacobian product `∂/∂X Σ upstream ⊙ layer(X)` by central differences with the
/// Float `layer` (a fast kernel); the sum is taken in Double. A thrown error is recorded as a
/// test issue and gives NaN (which then fails the comparison).
func fastVJP(
  at point: [Float], upstream: [Float], step: Float = FDSettings.step,
  _ layer: ([Float]) throws -> [Float]
) -> [Double] {
  FiniteDifference.gradient(at: point, step: step) { x in
    do {
      let y = try layer(x)
      precondition(y.count == upstream.count, "fastVJP: \(y.count) outputs vs \(upstream.count)")
      var sum = 0.0
      for i in y.indices { sum += Double(y[i]) * Double(upstream[i]) }
      return sum
    } catch {
      Issue.record(error)
      return .nan
    }
  }
}

/// `nil` when `analytic` agrees with the finite differences `numeric` within the shared
/// tolerance, else a message naming the worst element.
func matchesFiniteDifferences(_ analytic: [Float], _ numeric: [Double]) -> String? {
  FiniteDifference.compare(analytic: analytic, numeric: numeric, floor: FDSettings.floor)
    .failure(tolerance: FDSettings.tolerance)
}

/// The per-channel mean and biased variance of a plain NCHW (or NC) array, in Double.
func channelMoments(_ values: [Float], shape: [Int]) -> (mean: [Double], variance: [Double]) {
  let n = shape[0]
  let c = shape[1]
  let plane = shape.count == 4 ? shape[2] * shape[3] : 1
  var mean = [Double](repeating: 0, count: c)
  var variance = [Double](repeating: 0, count: c)
  for ch in 0..<c {
    var sum = 0.0
    for i in 0..<n {
      for p in 0..<plane { sum += Double(values[(i * c + ch) * plane + p]) }
    }
    let m = sum / Double(n * plane)
    var sq = 0.0
    for i in 0..<n {
      for p in 0..<plane {
        let d = Double(values[(i * c + ch) * plane + p]) - m
        sq += d * d
      }
    }
    mean[ch] = m
    variance[ch] = sq / Double(n * plane)
  }
  return (mean, variance)
}

/// Cached reorders between the plain layout and one other layout of the same dims: building a
/// oneDNN reorder primitive on every call (as `ComputeContext.reorder` does) would dominate the
/// finite-difference loops.
struct LayoutConverter {
  /// The non-plain (or plain) layout.
  let descriptor: MemoryDescriptor
  private let toLayout: ReorderKernel?
  private let toPlainKernel: ReorderKernel?

  init(_ ctx: ComputeContext, _ descriptor: MemoryDescriptor) throws {
    self.descriptor = descriptor
    if descriptor.isPlain {
      toLayout = nil
      toPlainKernel = nil
    } else {
      let plain = MemoryDescriptor.plain(descriptor.dims)
      toLayout = try ReorderKernel(context: ctx, from: plain, to: descriptor)
      toPlainKernel = try ReorderKernel(context: ctx, from: descriptor, to: plain)
    }
  }

  /// A tensor in ``descriptor``'s layout holding the row-major `values`.
  func tensor(_ values: [Float]) throws -> Tensor {
    let plain = Tensor(shape: descriptor.dims, scalars: values)
    guard let toLayout else { return plain }
    var out = Tensor(zeros: descriptor)
    try toLayout.execute(plain, into: &out)
    return out
  }

  /// The row-major values of `t` (which has ``descriptor``'s layout).
  func values(_ t: Tensor) throws -> [Float] {
    guard let toPlainKernel else { return t.scalars }
    var out = Tensor(zeros: descriptor.dims)
    try toPlainKernel.execute(t, into: &out)
    return out.scalars
  }
}
