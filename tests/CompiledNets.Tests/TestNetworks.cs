using System;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>The generated test networks by name (their double-precision references come from their Layers).</summary>
internal static class TestNetworks
{
    public static readonly string[] Names = ["SeedNet", "TanhSigmoidNet", "LeakyNet", "MnistNet", "EndsWithSigmoidNet", "GeluSiluNet", "SmallSiluGeluNet"];

    public static INetwork Create(string name, int seed = 0) => name switch
    {
        "SeedNet" => new SeedNet(seed),
        "TanhSigmoidNet" => new TanhSigmoidNet(seed),
        "LeakyNet" => new LeakyNet(seed),
        "MnistNet" => new MnistNet(seed),
        "EndsWithSigmoidNet" => new EndsWithSigmoidNet(seed),
        "GeluSiluNet" => new GeluSiluNet(seed),
        "SmallSiluGeluNet" => new SmallSiluGeluNet(seed),
        "SmallConvNet" => new SmallConvNet(seed),
        "StridedConvNet" => new StridedConvNet(seed),
        "NormLeNet" => new NormLeNet(seed),
        "SignalNet" => new SignalNet(seed),
        "FirstNormNet" => new FirstNormNet(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown test network."),
    };

    /// <summary>The networks with convolutions, pooling or batch normalization.</summary>
    public static readonly string[] Spatial = ["SmallConvNet", "StridedConvNet", "NormLeNet", "SignalNet", "FirstNormNet"];

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
