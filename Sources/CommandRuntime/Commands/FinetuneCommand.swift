import CommandLanguage

extension CommandDefinition {
  /// `finetune m2 on d epochs=1`: training with fine-tuning defaults (lr 0.01) after pruning.
  public static let finetune: CommandDefinition = {
    var signature = CommandDefinition.train.signature
    signature.name = "finetune"
    signature.parameters = signature.parameters.map { p in
      var p = p
      if p.name == "lr" { p.defaultValue = .value(.number(0.01)) }
      if p.name == "model" { p.summary = "the (pruned) model to fine-tune (it is not changed)" }
      return p
    }
    signature.summary = "Fine-tune a (pruned) model: train with a smaller learning rate (0.01)."
    signature.example = "m2 = finetune m2 on d epochs=1"
    let train = CommandDefinition.train.run
    return CommandDefinition(signature, group: .training) { arguments, context in
      try train(arguments, context)
    }
  }()
}
