package io.rustbucket.sensor.ssh;

import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.record.Quarantine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.scp.common.ScpTransferEventListener;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Moves files uploaded over SFTP and SCP from the session's staging folder into the quarantine (hashed, 0600)
 * and records them. A file past the upload cap is refused while it is written.
 */
final class Uploads {
    private Uploads() {}

    static void quarantine(Session session, Quarantine quarantine, Path staged, String how) throws IOException {
        SshSensor.SshEvents e = session.getAttribute(SshSensor.EVENTS);
        Quarantine.Stored stored;
        try (InputStream in = Files.newInputStream(staged)) {
            stored = quarantine.store(in);
        } finally {
            Files.deleteIfExists(staged); // staging holds nothing once quarantined: its disk use stays bounded
        }
        if (e != null) {
            e.record(e.event(EventAction.FILE_UPLOAD)
                    .fileHash(stored.sha256())
                    .fileName("/" + staged.getFileName(), stored.size())
                    .outcome(!stored.truncated())
                    .message(how + " upload " + staged.getFileName() + " (" + stored.size() + " bytes) sha256 "
                            + stored.sha256())
                    .build());
        }
    }

    /** SFTP: caps writes, quarantines each file written when its handle closes. */
    static final class Sftp implements SftpEventListener {
        private final Quarantine quarantine;

        Sftp(Quarantine quarantine) {
            this.quarantine = quarantine;
        }

        @Override
        public void writing(
                ServerSession session,
                String remoteHandle,
                FileHandle local,
                long offset,
                byte[] data,
                int dataOffset,
                int len)
                throws IOException {
            if (offset + len > quarantine.maxBytes()) {
                throw new IOException("upload larger than " + quarantine.maxBytes() + " bytes");
            }
        }

        @Override
        public void closed(ServerSession session, String remoteHandle, Handle local, Throwable thrown)
                throws IOException {
            if (local instanceof FileHandle f
                    && (f.getOpenOptions().contains(StandardOpenOption.WRITE)
                            || f.getOpenOptions().contains(StandardOpenOption.APPEND))
                    && Files.exists(f.getFile())) {
                quarantine(session, quarantine, f.getFile(), "sftp");
            }
        }
    }

    /** SCP: refuses files announced larger than the cap, quarantines each received file. */
    static final class Scp implements ScpTransferEventListener {
        private final Quarantine quarantine;

        Scp(Quarantine quarantine) {
            this.quarantine = quarantine;
        }

        @Override
        public void startFileEvent(
                Session session, FileOperation op, Path file, long length, Set<PosixFilePermission> perms)
                throws IOException {
            if (op == FileOperation.RECEIVE && length > quarantine.maxBytes()) {
                throw new IOException("upload larger than " + quarantine.maxBytes() + " bytes");
            }
        }

        @Override
        public void endFileEvent(
                Session session,
                FileOperation op,
                Path file,
                long length,
                Set<PosixFilePermission> perms,
                Throwable thrown)
                throws IOException {
            if (op == FileOperation.RECEIVE && thrown == null && Files.exists(file)) {
                quarantine(session, quarantine, file, "scp");
            }
        }
    }
}
