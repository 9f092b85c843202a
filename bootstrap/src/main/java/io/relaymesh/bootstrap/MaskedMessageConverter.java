package io.relaymesh.bootstrap;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} of the text log format with {@link SecretMask} applied (logback.xml maps {@code msg}
 * to it): a line that prints a request URL or header block shows no token or API key. Stateless.
 */
public final class MaskedMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return SecretMask.mask(super.convert(event));
    }
}
