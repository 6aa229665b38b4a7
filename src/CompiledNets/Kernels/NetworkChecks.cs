using System;
using System.Runtime.CompilerServices;

namespace CompiledNets.Kernels;

/// <summary>
/// The argument checks every generated network runs at its entry points, in one place so that their messages
/// are the same for every network: wrong lengths name the expected and actual sizes, and NaN or infinity is
/// refused with its position before it reaches a layer.
/// </summary>
public static class NetworkChecks
{
    /// <summary>Checks one sample's input and output spans, and that the input is finite.</summary>
    /// <remarks>Inlined: one-sample inference of a small network takes tens of nanoseconds, and a call is a few of them.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OneSample(ReadOnlySpan<float> input, int inputSize, int outputLength, int outputSize)
    {
        if (input.Length != inputSize)
        {
            throw new ArgumentException($"Expected {inputSize} floats (one sample) but got {input.Length}.", nameof(input));
        }
        if (outputLength != outputSize)
        {
            throw new ArgumentException($"Expected {outputSize} floats (one sample's logits) but got {outputLength}.", "output");
        }
        FiniteCheck.ThrowIfNotFinite(input, inputSize, nameof(input));
    }

    /// <summary>Checks a batch of inputs (whole rows, at least one, finite) and returns its number of rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Rows(ReadOnlySpan<float> inputs, int inputSize)
    {
        if (inputs.Length == 0 || inputs.Length % inputSize != 0)
        {
            throw new ArgumentException(
                $"Expected a whole number of rows of {inputSize} floats (at least one row) but got {inputs.Length} floats.", nameof(inputs));
        }
        FiniteCheck.ThrowIfNotFinite(inputs, inputSize, nameof(inputs));
        return inputs.Length / inputSize;
    }

    /// <summary>The rows of a Predict call's <paramref name="inputs"/>, checked whole and against an output buffer of <paramref name="outputLength"/> floats.</summary>
    public static int Predict(ReadOnlySpan<float> inputs, int inputSize, int outputLength, int outputSize)
    {
        int batch = Rows(inputs, inputSize);
        if (outputLength != (long)batch * outputSize)
        {
            throw new ArgumentException(
                $"Expected {batch} x {outputSize} = {(long)batch * outputSize} floats for the outputs (one row per input row) but got {outputLength}.", "outputs");
        }
        return batch;
    }

    /// <summary>
    /// Checks dLoss/dOutputs against the last batched forward: one is pending (<paramref name="batch"/> &gt; 0), the
    /// length fits it, and every value is finite (a diverged loss would poison every parameter gradient).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OutputGradient(ReadOnlySpan<float> outputGradient, int batch, int outputSize)
    {
        if (batch == 0)
        {
            throw new InvalidOperationException("Backward needs a batched Forward with gradients enabled that has not been back-propagated yet.");
        }
        if (outputGradient.Length != batch * outputSize)
        {
            throw new ArgumentException(
                $"Expected {batch} x {outputSize} = {batch * outputSize} floats (dLoss/dOutputs of the last Forward) but got {outputGradient.Length}.",
                nameof(outputGradient));
        }
        FiniteCheck.ThrowIfNotFinite(outputGradient, outputSize, nameof(outputGradient));
    }
}
