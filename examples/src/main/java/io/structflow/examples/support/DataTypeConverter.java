package io.structflow.examples.support;

import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --dtype float32|float64}. */
public final class DataTypeConverter implements ITypeConverter<DataType> {
    @Override
    public DataType convert(String value) {
        return switch (value) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new TypeConversionException("expected float32 or float64 but got '" + value + "'");
        };
    }
}
