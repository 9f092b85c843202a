package io.relaymesh.bootstrap;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %ex} of the text log format with {@link SecretMask} applied (logback.xml maps {@code ex}
 * to it): a client library's exception message may quote the URL it was given, credentials
 * included, and {@link MaskedMessageConverter} only covers the message. Stateless.
 */
public final class MaskedThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return SecretMask.mask(super.throwableProxyToString(proxy));
    }
}
