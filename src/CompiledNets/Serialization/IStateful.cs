using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// Something whose state a <see cref="Checkpoint"/> saves and restores, like a PyTorch object with
/// <c>state_dict()</c> and <c>load_state_dict()</c>: optimizers and learning-rate schedules.
/// </summary>
/// <remarks>
/// A checkpoint first asks every component to <see cref="CheckStateDict"/> what it read, and restores nothing unless
/// every answer is empty; so <see cref="LoadStateDict"/> may assume a state that passed the check.
/// </remarks>
public interface IStateful
{
    /// <summary>The state to save: a new dictionary holding copies.</summary>
    StateDict StateDict();

    /// <summary>Every reason <paramref name="state"/> cannot be loaded into this object (empty when it can), without changing anything.</summary>
    IReadOnlyList<string> CheckStateDict(StateDict state);

    /// <summary>Restores a state that passed <see cref="CheckStateDict"/>; throws <see cref="System.ArgumentException"/> for one that does not.</summary>
    void LoadStateDict(StateDict state);
}
