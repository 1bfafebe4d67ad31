package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Exchange#announcedLength}: the body length a {@code content-length} header announces. */
class AnnouncedLengthTest {

    @Test
    void plainDecimalNumbersAreLengths() {
        assertThat(Exchange.announcedLength("0")).isZero();
        assertThat(Exchange.announcedLength("512")).isEqualTo(512);
        assertThat(Exchange.announcedLength("007")).isEqualTo(7);
        assertThat(Exchange.announcedLength("999999999999999999")).isEqualTo(999_999_999_999_999_999L);
    }

    @Test
    void anythingElseAnnouncesNoLength() {
        assertThat(Exchange.announcedLength(null)).isEqualTo(-1);
        assertThat(Exchange.announcedLength("")).isEqualTo(-1);
        assertThat(Exchange.announcedLength("-1")).isEqualTo(-1);
        assertThat(Exchange.announcedLength("+5")).isEqualTo(-1);
        assertThat(Exchange.announcedLength(" 5")).isEqualTo(-1);
        assertThat(Exchange.announcedLength("5, 5")).isEqualTo(-1);
        assertThat(Exchange.announcedLength("1e3")).isEqualTo(-1);
        assertThat(Exchange.announcedLength("\u0661\u0662")).as("Arabic-Indic digits").isEqualTo(-1);
        assertThat(Exchange.announcedLength("1000000000000000000")).as("19 digits").isEqualTo(-1);
    }
}
