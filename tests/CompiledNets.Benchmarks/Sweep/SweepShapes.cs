using CompiledNets;

namespace CompiledNets.Benchmarks.Sweep;

// The shapes of the product sweep (issue 12): one Linear each, in and out widths drawn from
// {10, 30, 64, 100, 128, 256, 300, 500, 784, 1000, 1024}, every width at least twice as an input and twice as an
// output, chained up and back down the list, plus the table's own layers and square ones. Each is compiled by the
// real generator, as in a user's project; the sweep calls its three products directly.

[Linear(10, 30)] public partial class Sweep10x30;
[Linear(30, 64)] public partial class Sweep30x64;
[Linear(64, 100)] public partial class Sweep64x100;
[Linear(100, 128)] public partial class Sweep100x128;
[Linear(128, 256)] public partial class Sweep128x256;
[Linear(256, 300)] public partial class Sweep256x300;
[Linear(300, 500)] public partial class Sweep300x500;
[Linear(500, 784)] public partial class Sweep500x784;
[Linear(784, 1000)] public partial class Sweep784x1000;
[Linear(1000, 1024)] public partial class Sweep1000x1024;
[Linear(1024, 10)] public partial class Sweep1024x10;
[Linear(1024, 1000)] public partial class Sweep1024x1000;
[Linear(1000, 784)] public partial class Sweep1000x784;
[Linear(784, 500)] public partial class Sweep784x500;
[Linear(500, 300)] public partial class Sweep500x300;
[Linear(300, 256)] public partial class Sweep300x256;
[Linear(256, 128)] public partial class Sweep256x128;
[Linear(128, 100)] public partial class Sweep128x100;
[Linear(100, 64)] public partial class Sweep100x64;
[Linear(64, 30)] public partial class Sweep64x30;
[Linear(30, 10)] public partial class Sweep30x10;
[Linear(10, 1024)] public partial class Sweep10x1024;
[Linear(784, 128)] public partial class Sweep784x128;
[Linear(128, 10)] public partial class Sweep128x10;
[Linear(784, 256)] public partial class Sweep784x256;
[Linear(256, 256)] public partial class Sweep256x256;
[Linear(1024, 1024)] public partial class Sweep1024x1024;
[Linear(300, 100)] public partial class Sweep300x100;
