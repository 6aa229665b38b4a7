namespace CompiledNets.Onnx;

/// <summary>
/// The field numbers and enum values of <c>onnx/onnx.proto</c> that <see cref="OnnxExporter"/> writes,
/// checked against the ONNX repository's <c>onnx.proto</c>. Only the fields this exporter needs are listed.
/// </summary>
internal static class OnnxSchema
{
    /// <summary><c>message ModelProto</c>.</summary>
    public static class Model
    {
        public const int IrVersion = 1;        // optional int64
        public const int ProducerName = 2;     // optional string
        public const int ProducerVersion = 3;  // optional string
        public const int Graph = 7;            // optional GraphProto
        public const int OpsetImport = 8;      // repeated OperatorSetIdProto
    }

    /// <summary><c>message OperatorSetIdProto</c>.</summary>
    public static class OperatorSetId
    {
        public const int Domain = 1;   // optional string; "" is the default ai.onnx domain
        public const int Version = 2;  // optional int64
    }

    /// <summary><c>message GraphProto</c>.</summary>
    public static class Graph
    {
        public const int Node = 1;         // repeated NodeProto, topologically sorted
        public const int Name = 2;         // optional string
        public const int Initializer = 5;  // repeated TensorProto
        public const int Input = 11;       // repeated ValueInfoProto
        public const int Output = 12;      // repeated ValueInfoProto
    }

    /// <summary><c>message NodeProto</c>.</summary>
    public static class Node
    {
        public const int Input = 1;      // repeated string
        public const int Output = 2;     // repeated string
        public const int Name = 3;       // optional string
        public const int OpType = 4;     // optional string
        public const int Attribute = 5;  // repeated AttributeProto
    }

    /// <summary><c>message AttributeProto</c> and its <c>AttributeType</c> enum.</summary>
    public static class Attribute
    {
        public const int Name = 1;   // optional string
        public const int F = 2;      // optional float
        public const int I = 3;      // optional int64
        public const int Ints = 8;   // repeated int64
        public const int Type = 20;  // optional AttributeType

        public const int TypeFloat = 1;
        public const int TypeInt = 2;
        public const int TypeInts = 7;
    }

    /// <summary><c>message TensorProto</c> and its <c>DataType</c> enum.</summary>
    public static class Tensor
    {
        public const int Dims = 1;      // repeated int64 (not packed in onnx.proto)
        public const int DataType = 2;  // optional int32
        public const int Name = 8;      // optional string
        public const int RawData = 9;   // optional bytes, fixed-width little-endian

        public const int DataTypeFloat = 1;
        public const int DataTypeInt64 = 7;
    }

    /// <summary><c>message ValueInfoProto</c>.</summary>
    public static class ValueInfo
    {
        public const int Name = 1;  // optional string
        public const int Type = 2;  // optional TypeProto
    }

    /// <summary><c>message TypeProto</c> and its nested <c>TypeProto.Tensor</c>.</summary>
    public static class Type
    {
        public const int TensorType = 1;  // oneof value: TypeProto.Tensor

        public const int TensorElemType = 1;  // TypeProto.Tensor: optional int32 (a TensorProto.DataType)
        public const int TensorShape = 2;     // TypeProto.Tensor: optional TensorShapeProto
    }

    /// <summary><c>message TensorShapeProto</c> and its nested <c>Dimension</c>.</summary>
    public static class TensorShape
    {
        public const int Dim = 1;  // repeated Dimension

        public const int DimValue = 1;  // Dimension, oneof value: int64
        public const int DimParam = 2;  // Dimension, oneof value: string (a symbolic dimension)
    }
}
