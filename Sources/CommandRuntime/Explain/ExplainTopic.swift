/// One topic of `explain`: its definition and formula as text, and optionally the numbers of
/// the model in front of the user.
///
/// Topics are data: ``ExplainTopics/standard`` lists them, and `explain`, its completion and
/// `:help` read that list. Adding a topic is adding an entry there.
public struct ExplainTopic: Sendable {
  /// The word after `explain`.
  public var name: String
  /// One line, for listings.
  public var summary: String
  /// The definition, the formula and where it comes from (several lines).
  public var text: String
  /// The model's figures for this topic, computed when a model is given (`explain fpgm m`);
  /// the data set is there for topics that read images.
  public var figures:
    (
      @Sendable (_ model: ModelValue, _ data: DatasetValue?, _ context: CommandContext) throws ->
        [OutputItem]
    )?

  /// What a plan made this way did (`explain balanced p`): its cut per group and, for
  /// balanced allocation, the threshold δ it found.
  public var planFigures: (@Sendable (_ plan: PlanValue) throws -> [OutputItem])?

  /// Creates a topic.
  public init(
    name: String, summary: String, text: String,
    figures: (@Sendable (ModelValue, DatasetValue?, CommandContext) throws -> [OutputItem])? = nil,
    planFigures: (@Sendable (PlanValue) throws -> [OutputItem])? = nil
  ) {
    self.name = name
    self.summary = summary
    self.text = text
    self.figures = figures
    self.planFigures = planFigures
  }
}

/// The topics `explain` knows.
public struct ExplainTopics: Sendable {
  /// The topics in listing order.
  public private(set) var topics: [ExplainTopic]

  /// A list of topics (a later duplicate name is ignored).
  public init(_ topics: [ExplainTopic]) {
    var seen: Set<String> = []
    self.topics = topics.filter { seen.insert($0.name).inserted }
  }

  /// Every criterion of the registry, then `criteria`, `similarity`, `cluster`, `blend`,
  /// `cwda`, `groups`, `executor`, `jobs`, the latency topics (`profile`, `alignment`,
  /// `latency`), the ideas of pruning (``ConceptTopics/all``:
  /// allocation, balanced, rnf, surgery, fine-tuning, flops, sensitivity, clusters, blending,
  /// gradual, distillation), and every other command of ``CommandRegistry/standard``
  /// (``CommandTopics/all``).
  public static let standard = ExplainTopics(
    CriterionTopics.all + [
      AnalysisTopics.criteria, AnalysisTopics.similarity, BlendTopics.cluster, BlendTopics.blend,
      AnalysisTopics.cwda, AnalysisTopics.groups, ClusterExecutionTopics.executor,
      ClusterExecutionTopics.jobs,
    ] + LatencyTopics.all + ConceptTopics.all + CommandTopics.all)

  /// The topic names in listing order.
  public var names: [String] { topics.map(\.name) }

  /// The topic called `name`.
  public func topic(named name: String) -> ExplainTopic? { topics.first { $0.name == name } }
}
