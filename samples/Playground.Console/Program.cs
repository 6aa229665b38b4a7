using System;
using System.Globalization;
using System.Linq;
using CompiledNets.Kernels;
using Playground;

// The playground's training run in a console, printed as the page's result element holds it:
//   dotnet run -c Release --project samples/Playground.Console -- --network DigitsMlp --epochs 3 [--lr 0.01] [--batch 32] [--optimizer Sgd]
// A browser runs WebAssembly's 128-bit vectors without fused multiply-add; x64 does the same with AVX off, so
//   DOTNET_EnableAVX=0 dotnet run ...
// gives the browser's numbers bit for bit (DOTNET_EnableHWIntrinsic=0 where the browser has no SIMD).
TrainingSettings settings = TrainingSettings.Default(NetworkChoice.DigitsMlp);
for (int i = 0; i + 1 < args.Length; i += 2)
{
    string value = args[i + 1];
    settings = args[i] switch
    {
        "--network" => TrainingSettings.Default(Enum.Parse<NetworkChoice>(value)) with { Lr = settings.Lr, BatchSize = settings.BatchSize, Optimizer = settings.Optimizer, Epochs = settings.Epochs },
        "--epochs" => settings with { Epochs = int.Parse(value, CultureInfo.InvariantCulture) },
        "--lr" => settings with { Lr = float.Parse(value, CultureInfo.InvariantCulture) },
        "--batch" => settings with { BatchSize = int.Parse(value, CultureInfo.InvariantCulture) },
        "--optimizer" => settings with { Optimizer = Enum.Parse<OptimizerChoice>(value) },
        _ => throw new ArgumentException($"Unknown option '{args[i]}': expected --network, --epochs, --lr, --batch or --optimizer.", nameof(args)),
    };
}
var run = new TrainingRun(settings);
var reports = run.RunToEnd();
foreach (EpochReport r in reports)
{
    Console.WriteLine(FormattableString.Invariant(
        $"epoch {r.Epoch}: train loss {r.TrainLoss:R}, train accuracy {r.TrainAccuracy:P2}, test loss {r.TestLoss:F4}, test accuracy {r.TestAccuracy:R}, {r.Elapsed.TotalMilliseconds:F1} ms"));
}
Console.WriteLine($"train-losses {string.Join(" ", reports.Select(r => r.TrainLoss.ToString("R", CultureInfo.InvariantCulture)))}");
Console.WriteLine($"test-accuracy {reports[^1].TestAccuracy.ToString("R", CultureInfo.InvariantCulture)}");
Console.WriteLine($"epoch-ms {string.Join(" ", reports.Select(r => r.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)))}");
Console.WriteLine($"checksum {run.ParameterChecksum()}");
Console.WriteLine($"vector-floats {SimdWidth.Widest}");
