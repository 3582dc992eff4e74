package io.tailsrv.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    private static final String NL = System.lineSeparator();

    @Test
    void columnsAreAsWideAsTheirWidestCell() {
        String text = new Table("NAME", "PORT", "STATE")
                .row("app", 8080, "SERVING")
                .row("a-much-longer-name", 1, "FAILED: port: 0 is out of range")
                .render();
        assertEquals(""
                + "NAME                PORT  STATE" + NL
                + "app                 8080  SERVING" + NL
                + "a-much-longer-name  1     FAILED: port: 0 is out of range" + NL, text);
    }

    @Test
    void aHeaderWiderThanEveryCellSetsTheWidth() {
        assertEquals("CLIENTS  X" + NL + "0        y" + NL, new Table("CLIENTS", "X").row(0, "y").render());
    }

    @Test
    void noLineEndsInBlanks() {
        String text = new Table("A", "B").row("x", "").row("longer", "z").render();
        for (String line : text.split(NL)) {
            assertEquals(line.stripTrailing(), line);
        }
    }

    @Test
    void aHeaderAloneIsOneLine() {
        assertEquals("A  B" + NL, new Table("A", "B").render());
    }

    @Test
    void aRowMustFillEveryColumn() {
        Table table = new Table("A", "B");
        assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
    }
}
