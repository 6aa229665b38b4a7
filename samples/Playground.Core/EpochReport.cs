using System;
using CompiledNets;

namespace Playground;

/// <summary>What one epoch of a <see cref="TrainingRun"/> measured.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean of the epoch's batch losses.</param>
/// <param name="TrainAccuracy">The share of training samples the network classified right while it trained on them.</param>
/// <param name="TestLoss">The mean loss over the test part, after the epoch.</param>
/// <param name="TestAccuracy">The share of the test part classified right, after the epoch.</param>
/// <param name="Matrix">The test part's confusion matrix.</param>
/// <param name="Elapsed">The epoch's training time (its batches, without the test).</param>
public sealed record EpochReport(int Epoch, float TrainLoss, double TrainAccuracy, float TestLoss, double TestAccuracy, ConfusionMatrix Matrix, TimeSpan Elapsed);
