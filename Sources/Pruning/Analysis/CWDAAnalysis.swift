import NeuralNet
import Statistics
import TensorCore

/// The CWDA test battery (`CWDABattery`, ALGORITHMS.md §2.5) run on the weights of every
/// selected conv layer, viewed as `N` filters of dimension `k = C_in·K²`, with a summary of how
/// often each family of tests mostly does not reject the Gaussian assumption.
///
/// **Randomness.** The projection directions of layer `name` are drawn with `nextNormal()` from
/// `rng.derived("cwda." + name)`, so a layer's report does not depend on which other layers
/// are selected, and the same generator always gives the same result.
///
/// **Skipped layers.** A layer the battery cannot test (fewer than 2 filters, or all filters
/// identical, e.g. zero-initialised) is listed in `skipped` with the reason instead of failing
/// the whole analysis.
///
/// ```swift
/// let cwda = try CWDAAnalysis(network: net, rng: SeededRNG(seed: 7))
/// cwda.summary.projections.fraction  // share of layers whose projections mostly look Gaussian
/// ```
public struct CWDAAnalysis: Codable, Sendable, Equatable {
  /// Settings of the analysis.
  public struct Options: Codable, Sendable, Equatable {
    /// Which convs (default all).
    public var layers: AnalysisLayerSelection
    /// Random projection directions per layer (default 100, as ALGORITHMS.md §2.5 asks).
    public var projectionCount: Int
    /// Levels and caps of the battery.
    public internal(set) var battery: CWDAOptions

    /// Options; every argument has the documented default.
    public init(
      layers: AnalysisLayerSelection = .all, projectionCount: Int = 100,
      battery: CWDAOptions = CWDAOptions()
    ) {
      self.layers = layers
      self.projectionCount = projectionCount
      self.battery = battery
    }
  }

  /// One layer's report.
  public struct Layer: Codable, Sendable, Equatable {
    /// The conv node.
    public var name: String
    /// The battery's findings.
    public var report: CWDAReport
  }

  /// A layer the battery could not test, and why.
  public struct Skipped: Codable, Sendable, Equatable {
    /// The conv node.
    public var name: String
    /// Why it was skipped.
    public internal(set) var reason: String
  }

  /// How many tested layers mostly do not reject one family of tests.
  public struct Family: Codable, Sendable, Equatable {
    /// Layers where the family could be run.
    public internal(set) var layersTested: Int
    /// Of those, the layers where it is mostly not rejected (see ``Summary``).
    public internal(set) var layersMostlyNotRejected: Int
    /// `layersMostlyNotRejected / layersTested`, nil when no layer was tested.
    public internal(set) var fraction: Double?

    init(tested: Int, passed: Int) {
      layersTested = tested
      layersMostlyNotRejected = passed
      fraction = tested > 0 ? Double(passed) / Double(tested) : nil
    }
  }

  /// Per family of tests, the layers where the family is *mostly not rejected*: more than half
  /// of its tests in the layer are not rejected (per-coordinate and projection families), or
  /// the single test is not rejected at `battery.alpha` (pooled tests).
  public struct Summary: Codable, Sendable, Equatable {
    /// Mean ≈ 0: fewer than half of the per-coordinate t-tests rejected by Benjamini–Hochberg.
    public internal(set) var meanZero: Family
    /// Per-coordinate Shapiro–Wilk: more than half not rejected.
    public internal(set) var coordinateShapiroWilk: Family
    /// Shapiro–Wilk on the pooled standardised weights: not rejected.
    public internal(set) var pooledShapiroWilk: Family
    /// D'Agostino–Pearson K² on the pooled weights: not rejected.
    public internal(set) var pooledDAgostino: Family
    /// Kolmogorov–Smirnov on random projections: more than half not rejected.
    public internal(set) var projections: Family
  }

  /// The settings used.
  public var options: Options
  /// The tested layers, in graph order.
  public var layers: [Layer]
  /// The layers that could not be tested.
  public var skipped: [Skipped]
  /// The summary over `layers`.
  public var summary: Summary

  /// Runs the battery on every selected conv of `network` (weights from
  /// `network.parameters["<conv>.weight"]`).
  /// - Throws: `AnalysisError` for a negative projection count, a selection problem, a conv
  ///   without weights, or a battery failure other than too few or identical filters (e.g.
  ///   non-finite weights or invalid levels).
  public init(network: Network, rng: SeededRNG, options: Options = Options()) throws(AnalysisError)
  {
    guard options.projectionCount >= 0 else {
      throw .invalidOption(
        option: "CWDA projection count", value: "\(options.projectionCount)", expected: "≥ 0")
    }
    let graph = ConvGraph(network: network)
    let names = try options.layers.resolve(candidates: graph.convNames, network: network)
    var layers: [Layer] = []
    var skipped: [Skipped] = []
    for name in names {
      guard let spec = graph.convSpec(name), let weight = network.parameters[name + ".weight"]
      else { throw .missingWeights(layer: name) }
      var directions = rng.derived("cwda." + name)
      do throws(StatisticsError) {
        let filters = try FilterMatrix(
          rows: spec.outChannels, cols: spec.inChannels * spec.kernel * spec.kernel,
          values: weight.scalars)
        let report = try CWDABattery.run(
          filters: filters, projectionCount: options.projectionCount, options: options.battery
        ) { Double(directions.nextNormal()) }
        layers.append(Layer(name: name, report: report))
      } catch {
        switch error {
        case .tooFewValues, .constantInput:
          skipped.append(Skipped(name: name, reason: error.description))
        default:
          throw .statistics(layer: name, problem: error.description)
        }
      }
    }
    self.options = options
    self.layers = layers
    self.skipped = skipped
    self.summary = Self.summarize(layers.map(\.report), alpha: options.battery.alpha)
  }

  private static func summarize(_ reports: [CWDAReport], alpha: Double) -> Summary {
    func family(_ verdict: (CWDAReport) -> Bool?) -> Family {
      let verdicts = reports.compactMap(verdict)
      return Family(tested: verdicts.count, passed: verdicts.filter { $0 }.count)
    }
    return Summary(
      meanZero: family { $0.meanRejectedFraction < 0.5 },
      coordinateShapiroWilk: family { $0.shapiroWilkNotRejectedFraction.map { $0 > 0.5 } },
      pooledShapiroWilk: family { $0.pooledShapiroWilk.map { !$0.rejects(at: alpha) } },
      pooledDAgostino: family { $0.pooledDAgostino.map { !$0.rejects(at: alpha) } },
      projections: family { $0.projectionNotRejectedFraction.map { $0 > 0.5 } })
  }
}
