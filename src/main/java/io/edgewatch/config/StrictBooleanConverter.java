package io.edgewatch.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Accepts only {@code true} or {@code false} (any case); MicroProfile's default boolean converter reads every other
 * word, e.g. a misspelt {@code ture}, as false without a word.
 */
public final class StrictBooleanConverter implements Converter<Boolean> {
    @Override
    public Boolean convert(String value) {
        String v = value == null ? "" : value.strip();
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("must be true or false, was '" + value + "'");
    }
}
