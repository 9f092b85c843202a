package io.relaymesh.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.relaymesh.bootstrap.config.LogFormat;
import org.junit.jupiter.api.Test;

/** Which log format {@code app.log_format} stands for. */
class LoggingTest {

    @Test
    void auto_isTextInATerminal_andJsonOtherwise() {
        assertEquals(LogFormat.TEXT, Logging.resolve(LogFormat.AUTO, true));
        assertEquals(LogFormat.JSON, Logging.resolve(LogFormat.AUTO, false));
    }

    @Test
    void anExplicitFormat_isKeptWhateverTheTerminal() {
        assertEquals(LogFormat.JSON, Logging.resolve(LogFormat.JSON, true));
        assertEquals(LogFormat.TEXT, Logging.resolve(LogFormat.TEXT, false));
    }
}
