using static CompiledNets.Generator.KnownNames;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        private static readonly (string Type, int Lanes)[] VectorWidths =
        {
            (Vector512, 16),
            (Vector256, 8),
            (Vector128, 4),
        };

        /// <summary>
        /// A dot product of one fixed length. One branch per vector width: the JIT sees
        /// <c>IsHardwareAccelerated</c> as a constant and keeps only the widest branch the machine runs.
        /// </summary>
        private static void EmitDot(SourceWriter writer, int length)
        {
            writer.Line($"// Σ_i x[i] · y[i] over {length} floats: four vector accumulators hide the FMA latency,");
            writer.Line("// then single vectors, then a scalar tail. Every bound is a constant.");
            writer.Line($"[{MethodImpl}({AggressiveInlining})]");
            writer.Open($"private static float Dot{length}(ref float x, ref float y)");
            writer.Line("int i = 0;");
            writer.Line("float sum = 0f;");
            string keyword = "if";
            foreach ((string vector, int lanes) in VectorWidths)
            {
                writer.Open($"{keyword} ({vector}.IsHardwareAccelerated)");
                writer.Line($"var s0 = {vector}<float>.Zero;");
                writer.Line($"var s1 = {vector}<float>.Zero;");
                writer.Line($"var s2 = {vector}<float>.Zero;");
                writer.Line($"var s3 = {vector}<float>.Zero;");
                writer.Open($"for (; i <= {length} - {4 * lanes}; i += {4 * lanes})");
                for (int u = 0; u < 4; u++)
                {
                    string at = u == 0 ? "(nuint)i" : $"(nuint)(i + {u * lanes})";
                    writer.Line($"s{u} = {vector}.FusedMultiplyAdd({vector}.LoadUnsafe(ref x, {at}), {vector}.LoadUnsafe(ref y, {at}), s{u});");
                }
                writer.Close();
                writer.Open($"for (; i <= {length} - {lanes}; i += {lanes})");
                writer.Line($"s0 = {vector}.FusedMultiplyAdd({vector}.LoadUnsafe(ref x, (nuint)i), {vector}.LoadUnsafe(ref y, (nuint)i), s0);");
                writer.Close();
                writer.Line($"sum = {vector}.Sum((s0 + s1) + (s2 + s3));");
                writer.Close();
                keyword = "else if";
            }
            writer.Open($"for (; i < {length}; i++)");
            writer.Line($"sum += {Unsafe}.Add(ref x, i) * {Unsafe}.Add(ref y, i);");
            writer.Close();
            writer.Line("return sum;");
            writer.Close();
            writer.Line();
        }

        /// <summary>y += a · x for one fixed length, with the same width dispatch as <see cref="EmitDot"/>.</summary>
        private static void EmitAxpy(SourceWriter writer, int length)
        {
            writer.Line($"// y[i] += a · x[i] over {length} floats.");
            writer.Line($"[{MethodImpl}({AggressiveInlining})]");
            writer.Open($"private static void Axpy{length}(float a, ref float x, ref float y)");
            writer.Line("int i = 0;");
            string keyword = "if";
            foreach ((string vector, int lanes) in VectorWidths)
            {
                writer.Open($"{keyword} ({vector}.IsHardwareAccelerated)");
                writer.Line($"var va = {vector}.Create(a);");
                writer.Open($"for (; i <= {length} - {lanes}; i += {lanes})");
                writer.Line($"{vector}.StoreUnsafe({vector}.FusedMultiplyAdd(va, {vector}.LoadUnsafe(ref x, (nuint)i), {vector}.LoadUnsafe(ref y, (nuint)i)), ref y, (nuint)i);");
                writer.Close();
                writer.Close();
                keyword = "else if";
            }
            writer.Open($"for (; i < {length}; i++)");
            writer.Line($"{Unsafe}.Add(ref y, i) += a * {Unsafe}.Add(ref x, i);");
            writer.Close();
            writer.Close();
            writer.Line();
        }
    }
}
