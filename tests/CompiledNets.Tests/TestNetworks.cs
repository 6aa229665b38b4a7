using System;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>The generated test networks by name (their double-precision references come from their Layers).</summary>
internal static class TestNetworks
{
    public static readonly string[] Names = ["SeedNet", "TanhSigmoidNet", "LeakyNet", "MnistNet", "EndsWithSigmoidNet", "GeluSiluNet", "SmallSiluGeluNet", "PairNet", "NarrowInputNet", "WideHiddenNet"];

    public static INetwork Create(string name, int seed = 0) => name switch
    {
        "SeedNet" => new SeedNet(seed),
        "TanhSigmoidNet" => new TanhSigmoidNet(seed),
        "LeakyNet" => new LeakyNet(seed),
        "MnistNet" => new MnistNet(seed),
        "EndsWithSigmoidNet" => new EndsWithSigmoidNet(seed),
        "GeluSiluNet" => new GeluSiluNet(seed),
        "SmallSiluGeluNet" => new SmallSiluGeluNet(seed),
        "PairNet" => new PairNet(seed),
        "NarrowInputNet" => new NarrowInputNet(seed),
        "WideHiddenNet" => new WideHiddenNet(seed),
        "SmallConvNet" => new SmallConvNet(seed),
        "StridedConvNet" => new StridedConvNet(seed),
        "NormLeNet" => new NormLeNet(seed),
        "SignalNet" => new SignalNet(seed),
        "FirstNormNet" => new FirstNormNet(seed),
        "PaddedInsideConvNet" => new PaddedInsideConvNet(seed),
        "PoolStridesNet" => new PoolStridesNet(seed),
        "ImageRowsConvNet" => new ImageRowsConvNet(seed),
        "ImageRowsSignalNet" => new ImageRowsSignalNet(seed),
        "PoolFirstNet" => new PoolFirstNet(seed),
        "TanhFirstNet" => new TanhFirstNet(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown test network."),
    };

    /// <summary>The networks with convolutions, pooling or batch normalization.</summary>
    public static readonly string[] Spatial = ["SmallConvNet", "StridedConvNet", "NormLeNet", "SignalNet", "FirstNormNet", "PaddedInsideConvNet", "PoolStridesNet", "ImageRowsConvNet",
        "ImageRowsSignalNet"];

    /// <summary>Networks whose first layer has no parameters, so its backward runs only for dLoss/dinputs.</summary>
    public static readonly string[] ParameterFreeFirst = ["PoolFirstNet", "TanhFirstNet"];

    /// <summary><see cref="AllWithSpatial"/> and the networks whose first layer has no parameters.</summary>
    public static TheoryData<string> EveryFirstLayer()
    {
        var data = AllWithSpatial();
        foreach (string name in ParameterFreeFirst) data.Add(name);
        return data;
    }

    /// <summary><see cref="All"/> and the spatial networks.</summary>
    public static TheoryData<string> AllWithSpatial()
    {
        var data = All();
        foreach (string name in Spatial) data.Add(name);
        return data;
    }

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (string name in Names) data.Add(name);
        return data;
    }
}
