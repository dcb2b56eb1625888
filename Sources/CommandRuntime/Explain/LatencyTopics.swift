import NeuralNet
import Pruning
import Render
import TensorCore

/// `explain` topics about making a pruned network run faster: `profile`, `alignment`,
/// `latency`.
enum LatencyTopics {
  /// Every topic of this file, in listing order.
  static let all = [profile, alignment, latency]

  /// The `profile` command.
  static let profile = ExplainTopic(
    name: "profile", summary: "measure each conv's time over kept channel counts (a latency model)",
    text: """
      lat = profile m batch=128 points=4 repeats=5
      Times every distinct conv shape of m with the engine's own inference kernel (oneDNN, the
      nChw16c layout, bias and ReLU fused as after batch-norm folding, the context's threads)
      over a grid of kept input × output channel counts: per dimension of C channels the block
      (16) and ⌈C·k/points⌉ rounded up to the block, k = 1…points, each with its neighbour one
      block below: the kernels here run an odd number of 16-channel blocks up to a fifth slower
      than the even count above it, so a count interpolates between grid points of its own
      block parity. Every cell is timed in two rounds over all shapes (the median of `repeats`
      calls each, the smaller kept: a slow first second is measured again), the whole
      network's inference step before and after the grids (the smaller kept). The part outside
      the convolutions is measured − Σ conv(full) and scales with the share of conv output
      channels kept. Grids are cached in $XDG_CACHE_HOME/shears/latency/ (else ~/.cache/…),
      one file per shape keyed by the CPU, oneDNN's version, the engine's kernel version,
      batch, threads and grid: another CPU or library version measures again. cache=false
      skips the cache. show lat prints the grids; plot lat draws time against channels kept.
      A busy machine is caught: when the grids' full-width cells add up to more than the
      whole network (+10%), or the timed calls had under 80% of the cores' time (CPU over
      wall seconds × threads; another process held them), every shape is measured again and
      each cell keeps its smaller time; a warning says so, and says when the second pass was
      busy too (then profile when the machine is quiet, or with --threads 1: with several
      threads every call waits for the one a busy core holds). The warning stays with the
      model: show lat and a replay say it again. A recorded session keeps the model with the
      profile cell, and replay restores it instead of measuring again, so plans made with it
      replay bit for bit.
      """)

  /// Rounding kept counts to a multiple.
  static let alignment = ExplainTopic(
    name: "alignment", summary: "rounding kept channel counts to the engine's block (align=)",
    text: """
      plan m by l1 ratio=50% align=16   (align=auto: the engine's block, \
      \(MemoryDescriptor.channelBlock) here)
      The engine keeps activations in blocks of 16 channels (nChw16c): a group cut to 37
      channels computes as 48, so the FLOPs fall but the time does not. Alignment rounds every
      group's kept count k to one of its neighbouring multiples of m, ⌊k/m⌋·m or ⌈k/m⌉·m, never
      to zero and never below floor= (a group narrower than m keeps all its channels). From all
      groups rounded down, groups are rounded up — smallest ⌈k/m⌉·m − k first — while the
      reduction the allocation counts (channels for uniform/global/clr, FLOPs, parameters or
      predicted latency for a target) stays at least what the unaligned counts reached. So a
      kept count is a multiple of m (or the whole group) and at most m − 1 above the unaligned
      one. show p lists what the rounding changed; gradual … align=16 rounds at every step.
      align=latency latency=lat rounds to the block as auto does, then moves groups by a
      multiple — one up or down, or one up and another down — where the latency model
      predicts a faster network and the reduction stays at least what was asked and at most
      one point over what auto's rounding reached: 368 channels (23 blocks) at 2×2 pixels run
      slower than 352 or 384 here, and a small late layer can give up a block for little.
      """,
    figures: { model, _, _ in
      let groups = try ChannelGroups(network: model.network)
      let block = MemoryDescriptor.channelBlock
      var table = Table(
        title: "groups of \(model.network.name) and their padding in the \(block)-channel layout",
        columns: [.text("group"), .numeric("channels"), .numeric("padded to"), .numeric("waste")])
      for g in groups.groups {
        let padded = (g.channels + block - 1) / block * block
        table.addRow([
          g.id, String(g.channels), String(padded),
          NumberFormat.percent(1 - Double(g.channels) / Double(padded), decimals: 0),
        ])
      }
      return [.table(table)]
    })

  /// Latency targets.
  static let latency = ExplainTopic(
    name: "latency",
    summary: "plans that reach a predicted inference-time reduction (target=latency)",
    text: """
      lat = profile m;  p = plan m by l1 ratio=40% alloc=balanced target=latency latency=lat on d
      FLOPs are a proxy for time: a cut that leaves channel counts off the 16-channel blocks, or
      trims layers whose kernels are memory-bound, removes FLOPs without removing time. With
      target=latency the ratio is a reduction of the latency model's predicted time of one
      inference batch: predicted(counts) = Σ_conv T_shape(pad16(kept in), pad16(kept out)) +
      other × (conv output channels kept / all), T interpolated bilinearly on the measured grid.
      alloc=balanced searches δ with this reduction instead of the FLOPs; alloc=global removes
      the lowest-ranked channels until it is reached (bisection). compare m m2 on d latency=lat
      shows predicted against measured time of the pruned network.
      like=p1 instead of ratio= asks for the latency another plan reaches: the reduction that
      p1's kept counts give under lat becomes the target, e.g. a latency plan at the time of a
      FLOPs plan: p2 = plan m by l1 on d alloc=balanced target=latency latency=lat like=p1.
      """)
}
