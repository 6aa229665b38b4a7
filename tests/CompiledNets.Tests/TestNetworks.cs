using System;
using CompiledNets.Tests.Reference;
using Xunit;

namespace CompiledNets.Tests;

/// <summary>Each generated test network next to a double-precision reference of the same architecture.</summary>
internal static class TestNetworks
{
    public static readonly string[] Names = ["SeedNet", "TanhSigmoidNet", "LeakyNet", "MnistNet", "EndsWithSigmoidNet"];

    public static INetwork Create(string name, int seed = 0) => name switch
    {
        "SeedNet" => new SeedNet(seed),
        "TanhSigmoidNet" => new TanhSigmoidNet(seed),
        "LeakyNet" => new LeakyNet(seed),
        "MnistNet" => new MnistNet(seed),
        "EndsWithSigmoidNet" => new EndsWithSigmoidNet(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown test network."),
    };

    public static ReferenceNetwork Reference(string name) => name switch
    {
        "SeedNet" => new(RefLayer.Linear(10, 20), RefLayer.ReLU, RefLayer.Linear(20, 2)),
        "TanhSigmoidNet" => new(RefLayer.Linear(7, 13), RefLayer.Tanh, RefLayer.Linear(13, 5), RefLayer.Sigmoid, RefLayer.Linear(5, 3)),
        "LeakyNet" => new(RefLayer.Linear(24, 40), RefLayer.LeakyReLU(0.1f), RefLayer.Linear(40, 33), RefLayer.LeakyReLU(0.01f), RefLayer.Linear(33, 4)),
        "MnistNet" => new(RefLayer.Linear(784, 128), RefLayer.ReLU, RefLayer.Linear(128, 10)),
        "EndsWithSigmoidNet" => new(RefLayer.Linear(5, 19), RefLayer.ReLU, RefLayer.Linear(19, 3), RefLayer.Sigmoid),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown test network."),
    };

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (string name in Names) data.Add(name);
        return data;
    }
}
