package io.rustbucket.core.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reading columns whose JDBC form differs from the domain's (nullable timestamps, nullable numbers). */
public final class Rows {
    private Rows() {}

    /** A {@code ${ts}} column as an Instant; null stays null. Stored values are UTC (the JVM runs in UTC). */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        var ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    /** A nullable BIGINT column; SQL NULL is null, not 0. */
    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
