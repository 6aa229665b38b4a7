// Saves one of two networks over the file named by the first argument, alternately, until killed; the kill test of
// CompiledNets.Tests (SafetensorsKillTests) interrupts it mid-save. Prints "saved" after the first save. Exits by itself
// when its standard input closes (the test process ended) or after two minutes, so it never outlives its parent long.
using System;
using System.Threading;
using CompiledNets;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: CompiledNets.SaveLoop <path>");
    return 2;
}
var networks = new[] { new SaveLoopNet(seed: 1), new SaveLoopNet(seed: 2) };
new Thread(() =>
{
    Console.In.ReadToEnd();
    Environment.Exit(0);
}) { IsBackground = true }.Start();

var deadline = DateTime.UtcNow.AddMinutes(2);
for (long i = 0; DateTime.UtcNow < deadline; i++)
{
    Safetensors.Save(networks[i % 2], args[0]);
    if (i == 0)
    {
        Console.WriteLine("saved");
        Console.Out.Flush();
    }
}
return 0;

/// <summary>The shape of the tests' WideNet: a 5 MB file, long enough to write that a kill often lands mid-save.</summary>
[Linear(64, 17000)]
[ReLU]
[Linear(17000, 10)]
public partial class SaveLoopNet;
