/**
 * ONNX export: {@link io.structflow.interop.onnx.OnnxExport} writes a model's inference graph,
 * which every {@link io.structflow.core.nn.Exportable} module describes itself, as an ONNX
 * {@code ModelProto} encoded with protobuf-java's {@code CodedOutputStream}.
 */
package io.structflow.interop.onnx;
