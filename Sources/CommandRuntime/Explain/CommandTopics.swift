/// An `explain` topic for every command of ``CommandRegistry/standard`` that is not already a
/// topic of its own idea (`similarity`, `cluster`, `blend`, `cwda`, `groups`, `gradual` and
/// `sensitivity` are explained in ``AnalysisTopics``, ``BlendTopics`` and ``ConceptTopics``).
///
/// A test checks that every command of the registry has a topic: a new command comes with its
/// entry here.
enum CommandTopics {
  /// The command topics in registry order.
  static let all: [ExplainTopic] = [
    data, model, load, save, write, train, eval, finetune, compare, score, plan, prune, show,
    plot, explain, bench,
  ]

  static let data = ExplainTopic(
    name: "data", summary: "command: load a data set, optionally a subset",
    text: """
      data loads a data set's train and test splits: fashion-mnist (Debian's
      dataset-fashion-mnist), mnist, cifar10, cifar100, a folder of IDX or CIFAR files, or
      synthetic images for tests. train= and test= keep a stratified subset (the same classes
      in the same proportions), drawn from the session's seed; images are normalised per
      channel, x′ = (x − μ_c) / σ_c, with the train split's statistics. shears run --limit N
      caps every data set for quick runs. Example: d = data fashion-mnist train=2000 test=500.
      """)

  static let model = ExplainTopic(
    name: "model", summary: "command: a network from the zoo with fresh, seeded weights",
    text: """
      model builds a network of the zoo (lenet5, vgg-small, vgg16, resnet20/32/56/110) shaped
      for a data set (channels, image size, classes), its weights drawn from the session's
      seed: convs with He initialisation, w ~ N(0, 2/fan_in) (init=torch: PyTorch's default,
      uniform in ±1/sqrt(fan_in)), linear layers uniform in ±1/sqrt(in), batch norm γ = 1,
      β = 0. width= scales every layer's channels;
      ResNets take shortcut=a (zero-padding) or b (1×1 projection). Untrained, it scores and
      prunes like any model, but its accuracy is chance: train it first.
      With a model (explain model m): its heaviest layers.
      """,
    figures: { model, _, _ in try PlanExplanation.heaviest(model) })

  static let load = ExplainTopic(
    name: "load", summary: "command: read a model from a .shears checkpoint or an ONNX file",
    text: """
      load reads a model saved by save: a .shears checkpoint (the graph, weights and batch-norm
      statistics, with a checksum) or an ONNX file as torch.onnx.export writes CNNs (batch norm
      kept or folded). The format follows the extension unless format= says. A damaged or
      foreign file is refused with what is wrong, before anything is bound.
      Example: m = load "vgg-small.shears".
      """)

  static let save = ExplainTopic(
    name: "save", summary: "command: write a model as a checkpoint or ONNX",
    text: """
      save writes a model to a file: a .shears checkpoint that load reads back bit for bit, or
      a standard ONNX model (opset 13) taking raw [0, 1] images, the data set's normalisation
      inside the graph (data=d; preprocess=false leaves it out). The file is written to a
      temporary name and renamed, so a crash never leaves half a file; an existing file is
      kept unless overwrite=true. Example: save m to "m.onnx" data=d.
      """)

  static let write = ExplainTopic(
    name: "write", summary: "command: write an analysis (scores, similarity, …) as CSV or JSON",
    text: """
      write exports a value's numbers for other tools: scores (one row per layer and filter),
      a similarity's ρ and τ per layer and pair, a CWDA report as CSV (long format, one value
      per row, numbers that read back exactly) or JSON; a plan, a sensitivity report or a
      comparison as JSON. Like save, it writes atomically and keeps an existing file unless
      overwrite=true. Example: write s to "scores.csv".
      """)

  static let train = ExplainTopic(
    name: "train", summary: "command: train a model by SGD (a new model; the old one stays)",
    text: """
      train runs mini-batch SGD with momentum on the train split: for each batch,
      v ← μ·v + ∇L + λ·w and w ← w − η_t·v (μ 0.9, weight decay λ 5·10⁻⁴, batch 128), the
      learning rate η_t following schedule= (cosine by default: η_t = η/2·(1 + cos(πt/T));
      onecycle is PyTorch's OneCycleLR, from η/25 up to η over the first 30% of the steps and
      down to η/25/10⁴; step drops ×0.1 at 50% and 75% of the epochs). nesterov=true takes the
      look-ahead step w ← w − η_t·(g + μ·v); cycle=true (with onecycle) moves μ against the
      rate, μ + 0.05 at both ends and μ − 0.05 at the peak, as OneCycleLR does by default;
      warmup=, smoothing= and teacher= add a linear warm-up, label smoothing and distillation.
      Batches are shuffled from the session's seed, so a run is reproducible bit for bit. It
      returns a new model and leaves its input as it was; Ctrl-C stops at the next batch.
      Example: m = train m on d epochs=2 lr=0.05.
      """)

  static let eval = ExplainTopic(
    name: "eval", summary: "command: accuracy and loss of a model on a split",
    text: """
      eval runs the model in inference mode (batch norm with its running statistics) over the
      test split (split=train for the training images) and reports top-1 accuracy
      (correct / images) and the mean cross-entropy loss L = −(1/n) Σ log p(y_i | x_i).
      Example: eval m on d.
      """)

  static let finetune = ExplainTopic(
    name: "finetune", summary: "command: train a pruned model briefly, lr 0.01 by default",
    text: ConceptTopics.fineTuning.text)

  static let compare = ExplainTopic(
    name: "compare", summary: "command: two models side by side (accuracy, FLOPs, size, speed)",
    text: """
      compare evaluates two models on the same test images and shows what pruning traded:
      accuracy and loss, parameters, FLOPs (MACs of one image), the reduction of each
      (1 − after/before), and inference speed in images per second at a batch size. Accuracy
      and counts are exact; speed depends on the machine and its load. Example:
      compare m m2 on d.
      """)

  static let score = ExplainTopic(
    name: "score", summary: "command: one criterion's score for every filter of every conv",
    text: """
      score computes a criterion for every output channel (filter) of every conv layer: a
      Scores value, larger = keep. Criteria that read images or gradients need on d (and take
      batches=). show s prints the layers' ranges, plot s the distribution; explain CRITERION
      gives each formula. Example: s = score m by fpgm.
      """)

  static let plan = ExplainTopic(
    name: "plan", summary: "command: which channels to remove (criterion, allocation, selection)",
    text: """
      plan decides which channels go without touching the model: a criterion scores the
      channels, channel groups tie layers that must be cut together, an allocation (alloc=
      uniform, global, balanced, clr) decides how many each group loses for the ratio, and a
      selection (select=top-k or rnf) decides which. The plan reports the FLOPs and parameters
      the pruned model will have. Example: p = plan m by l1 ratio=50% alloc=global.
      With a plan (explain plan p): each group's cut.
      """,
    planFigures: { plan in PlanExplanation.cuts(plan) })

  static let prune = ExplainTopic(
    name: "prune", summary: "command: apply a plan (surgery), giving a smaller model",
    text: ConceptTopics.surgery.text,
    planFigures: { plan in PlanExplanation.cuts(plan) })

  static let show = ExplainTopic(
    name: "show", summary: "command: a value in detail (tables, per-layer numbers)",
    text: """
      show prints a value in full: a model's layers with shapes, parameters and FLOPs; a
      data set's splits and classes; a plan's cut per group; scores per layer; a similarity's
      matrices. Typing a variable alone shows its one-line summary instead.
      Example: show m.
      """)

  static let plot = ExplainTopic(
    name: "plot", summary: "command: a picture of a value, in the terminal and as SVG",
    text: """
      plot draws a value: a layer's weights (kind=weights, a histogram with the Gaussian of the
      same mean and variance, which CWDA predicts), score distributions, a similarity heat map,
      sensitivity curves, training curves (kind=epochs). The terminal shows block characters;
      sessions keep the SVG, which export puts in the notebook.
      Example: plot m layer=features.0.conv kind=weights.
      """)

  static let explain = ExplainTopic(
    name: "explain", summary: "command: what an idea or command is, with a model's numbers",
    text: """
      explain TOPIC gives a topic's definition in a few sentences and its formula; every
      command, criterion and idea of pruning is a topic (:help explain lists them). With a
      model after the topic it adds that model's numbers (explain flops m: its heaviest
      layers; explain fpgm m: the scores per layer); with a plan, what the plan cut and why
      (explain balanced p: the δ and each group's cut).
      """)

  static let bench = ExplainTopic(
    name: "bench", summary: "command: training and inference speed of a model",
    text: """
      bench times steps of training (forward, backward, SGD update) and of inference on a
      synthetic batch of the model's input shape, after one warm-up step, and reports the
      median milliseconds per step and images per second = batch / seconds. Times depend on
      the machine, its load, the build and the thread count; shears bench --json measures the
      zoo's networks in full. Example: bench m batch=64 steps=5.
      """)
}
