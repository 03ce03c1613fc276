package io.rustbucket.sensor.ship;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/** Gzips a batch of log lines into a file and forces it to disk before anyone may rely on it. */
public final class LogCompressor {
    private LogCompressor() {}

    /** Copies {@code length} bytes of {@code lines} into {@code target} as gzip and fsyncs it. */
    public static void compress(InputStream lines, long length, Path target) throws IOException {
        try (OutputStream file =
                        Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                GZIPOutputStream gz = new GZIPOutputStream(file, 64 * 1024)) {
            byte[] buf = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = lines.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("log file shorter than the batch: " + left + " bytes missing");
                }
                gz.write(buf, 0, n);
                left -= n;
            }
        }
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }
}
