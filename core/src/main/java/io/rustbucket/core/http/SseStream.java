package io.rustbucket.core.http;

import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A Server-Sent Events response with no thread of its own. Whoever has a frame (typically a publisher fanning one
 * event out to hundreds of streams) hands it to {@link #send}; if the socket can take it, it is written there and
 * then with non-blocking servlet I/O, otherwise it waits and Jetty's write callback sends it. Frames that wait
 * together go out in one flush. Overflow policy: a client more than {@code maxPendingBytes} behind gets the
 * overflow frame (telling it to reconnect and resume) in place of what it missed, and the stream ends; so a slow
 * reader holds a bounded amount of memory and never blocks the publisher or the other streams.
 */
public final class SseStream implements WriteListener {
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final ServletOutputStream out;
    private final long maxPendingBytes;
    private final Supplier<byte[]> overflowFrame;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private long pendingBytes;
    /** The catch-up's size: it may wait on top of the overflow limit (its query bounds it). */
    private long catchUpBytes;
    /** Until {@link #open}: live frames queue behind the catch-up the handler is still reading. */
    private boolean opened;
    /** Jetty has the write listener: writing is allowed. */
    private boolean listening;

    private boolean unflushed;
    /** The stream ends once what is pending is written (after an overflow frame). */
    private boolean closing;

    private boolean finished;
    /** The end action has run (or is running). */
    private boolean endRun;

    private Runnable onEnd = () -> {};
    private volatile long lastSentNanos = System.nanoTime();

    private SseStream(ServletOutputStream out, long maxPendingBytes, Supplier<byte[]> overflowFrame) {
        this.out = out;
        this.maxPendingBytes = maxPendingBytes;
        this.overflowFrame = overflowFrame;
    }

    /**
     * Makes the request's response a stream; the handler sets status and headers first and returns soon after
     * (the response stays open until the stream ends). Frames sent before {@link #open} wait behind its catch-up.
     */
    public static SseStream start(Context ctx, long maxPendingBytes, Supplier<byte[]> overflowFrame)
            throws IOException {
        SseStream s = new SseStream(ctx.res().getOutputStream(), maxPendingBytes, overflowFrame);
        // Javalin starts async mode after the handler returns; non-blocking writes are allowed from then on.
        ctx.future(() -> {
            s.listen();
            return s.ended;
        });
        return s;
    }

    /** Runs when the stream ends, whatever the reason (the client left, overflow, {@link #end}). */
    public synchronized void onEnd(Runnable action) {
        this.onEnd = action;
    }

    /** Puts {@code catchUp} before every frame sent so far and lets the stream flow. */
    public void open(List<byte[]> catchUp) {
        synchronized (this) {
            for (int i = catchUp.size() - 1; i >= 0; i--) {
                pending.addFirst(catchUp.get(i));
                catchUpBytes += catchUp.get(i).length;
            }
            pendingBytes += catchUpBytes;
            opened = true;
            drain();
        }
        finishIfDone();
    }

    /** Queues one frame and writes it now if the socket can take it; never blocks. */
    public void send(byte[] frame) {
        synchronized (this) {
            if (finished || closing) {
                return;
            }
            if (pendingBytes + frame.length > maxPendingBytes + catchUpBytes) {
                byte[] last = overflowFrame.get();
                pending.clear();
                pending.add(last);
                pendingBytes = last.length;
                closing = true;
            } else {
                pending.add(frame);
                pendingBytes += frame.length;
            }
            drain();
        }
        finishIfDone();
    }

    /** Sends a comment when nothing was sent for {@code idleNanos}, so proxies and idle timeouts keep the stream. */
    public void keepAlive(long idleNanos) {
        if (System.nanoTime() - lastSentNanos >= idleNanos) {
            send(KEEP_ALIVE);
        }
    }

    /** Takes no more frames and ends the stream once those already queued are written. */
    public void endWhenWritten() {
        synchronized (this) {
            closing = true;
            drain();
        }
        finishIfDone();
    }

    /** Ends the stream now (the platform is stopping); the client reconnects and resumes. */
    public void end() {
        synchronized (this) {
            finished = true;
            pending.clear();
        }
        finishIfDone();
    }

    public boolean ended() {
        return ended.isDone();
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            drain();
        }
        finishIfDone();
    }

    @Override
    public void onError(Throwable t) { // the client went away or the connection failed: nothing more can be sent
        end();
    }

    private void listen() {
        synchronized (this) {
            out.setWriteListener(this); // Jetty calls onWritePossible once it can write
            listening = true;
        }
    }

    /** Writes what is pending while the socket takes it; the caller holds the lock. */
    private void drain() {
        if (!listening || !opened || finished) {
            return;
        }
        try {
            while (out.isReady()) {
                byte[] frame = pending.poll();
                if (frame == null) {
                    if (unflushed) {
                        unflushed = false;
                        out.flush();
                        lastSentNanos = System.nanoTime();
                        continue;
                    }
                    if (closing) {
                        finished = true;
                    }
                    return;
                }
                pendingBytes -= frame.length;
                out.write(frame);
                unflushed = true;
            }
        } catch (IOException | IllegalStateException e) { // the client went away
            finished = true;
            pending.clear();
        }
    }

    /**
     * Runs the end action, then completes the response (Javalin ends the request), once and outside the lock: by
     * the time the client sees the end, whatever the stream was registered with has let go of it.
     */
    private void finishIfDone() {
        Runnable action;
        synchronized (this) {
            if (!finished || endRun) {
                return;
            }
            endRun = true;
            action = onEnd;
        }
        try {
            action.run();
        } finally {
            ended.complete(null);
        }
    }
}
