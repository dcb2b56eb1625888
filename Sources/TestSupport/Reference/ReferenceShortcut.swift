extension Reference {
  /// The "option A" shortcut of CIFAR ResNets: subsample by 2 (`x[:, :, ::2, ::2]`) and pad
  /// channels with zeros, `pad = (outputChannels − C)/2` on each side, so the input lands in
  /// channels `[pad, pad + C)` (PyTorch: `F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, pad, pad))`).
  ///
  /// The output is `[N, outputChannels, ⌈H/2⌉, ⌈W/2⌉]`; `outputChannels − C` must be even and
  /// non-negative.
  public static func optionAShortcut<S>(_ x: RefTensor<S>, outputChannels: Int) -> RefTensor<S> {
    let (n, c, h, w) = dims4(x, "optionAShortcut input")
    let pad = shortcutPad(c, outputChannels)
    let (oh, ow) = ((h + 1) / 2, (w + 1) / 2)
    var y = RefTensor<S>.zeros([n, outputChannels, oh, ow])
    for i in 0..<n {
      for ch in 0..<c {
        for oy in 0..<oh {
          for ox in 0..<ow { y[i, ch + pad, oy, ox] = x[i, ch, 2 * oy, 2 * ox] }
        }
      }
    }
    return y
  }

  /// The backward pass of ``optionAShortcut(_:outputChannels:)``: the gradient of channels
  /// `[pad, pad + C)` goes back to the even positions `(2·oy, 2·ox)`; everything else gets 0.
  public static func optionAShortcutBackward<S>(inputShape: [Int], gradOutput dy: RefTensor<S>)
    -> RefTensor<S>
  {
    var dx = RefTensor<S>.zeros(inputShape)
    let (n, c, h, w) = dims4(dx, "optionAShortcutBackward input")
    let (oh, ow) = ((h + 1) / 2, (w + 1) / 2)
    precondition(
      dy.rank == 4 && dy.shape[0] == n && dy.shape[2] == oh && dy.shape[3] == ow,
      "Reference.optionAShortcutBackward: gradOutput has shape \(dy.shape), expected "
        + "[\(n), Cout, \(oh), \(ow)]")
    let pad = shortcutPad(c, dy.shape[1])
    for i in 0..<n {
      for ch in 0..<c {
        for oy in 0..<oh {
          for ox in 0..<ow { dx[i, ch, 2 * oy, 2 * ox] = dy[i, ch + pad, oy, ox] }
        }
      }
    }
    return dx
  }

  private static func shortcutPad(_ c: Int, _ outputChannels: Int) -> Int {
    let extra = outputChannels - c
    precondition(
      extra >= 0 && extra % 2 == 0,
      "Reference.optionAShortcut: output channels \(outputChannels) minus input channels \(c) "
        + "must be even and non-negative")
    return extra / 2
  }
}
