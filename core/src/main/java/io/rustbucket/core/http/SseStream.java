package io.rustbucket.core.http;

import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Server-Sent Events response with no thread of its own. Whoever has a frame (typically a publisher fanning one
 * event out to hundreds of streams) hands it to {@link #send}; unless a write is still in flight, it goes to the
 * socket there and then with one non-blocking write, otherwise it waits and the write's completion sends it. Frames
 * that wait together go out in one write. Overflow policy: a client more than {@code maxPendingBytes} behind gets
 * the overflow frame (telling it to reconnect and resume) in place of what it missed, and the stream ends; so a slow
 * reader holds a bounded amount of memory and never blocks the publisher or the other streams.
 *
 * <p>Frames are written with Jetty's own response API, under the servlet output stream, which would add a state
 * machine, a copy and a few objects to every write: a token to 500 streams is 500 writes. The servlet layer sees
 * no content and, when the stream ends, writes only the end of the body.
 */
public final class SseStream implements Callback {
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    /** Most bytes of waiting frames copied into one write. */
    private static final int MAX_WRITE_BYTES = 64 * 1024;

    private final Response response;
    private final long maxPendingBytes;
    private final Supplier<byte[]> overflowFrame;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private long pendingBytes;
    /** The catch-up's size: it may wait on top of the overflow limit (its query bounds it). */
    private long catchUpBytes;
    /** Until {@link #open}: live frames queue behind the catch-up the handler is still reading. */
    private boolean opened;
    /** The request has gone asynchronous: writing is allowed. */
    private boolean listening;
    /** A write is in flight (Jetty takes one at a time); its completion writes what waits. */
    private boolean writing;
    /** {@link #drain} is running on this thread: a write that completes at once must not start another drain. */
    private boolean draining;
    /** The stream ends once what is pending is written (after an overflow frame). */
    private boolean closing;

    private boolean finished;
    /** The end action has run (or is running). */
    private boolean endRun;

    private Runnable onEnd = () -> {};
    private volatile long lastSentNanos = System.nanoTime();

    private SseStream(Response response, long maxPendingBytes, Supplier<byte[]> overflowFrame) {
        this.response = response;
        this.maxPendingBytes = maxPendingBytes;
        this.overflowFrame = overflowFrame;
    }

    /**
     * Makes the request's response a stream; the handler sets status and headers first and returns soon after
     * (the response stays open until the stream ends). Frames sent before {@link #open} wait behind its catch-up.
     */
    public static SseStream start(Context ctx, long maxPendingBytes, Supplier<byte[]> overflowFrame) {
        SseStream s = new SseStream(
                ServletContextResponse.getServletContextResponse(ctx.res()), maxPendingBytes, overflowFrame);
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

    /**
     * The write in flight is done: what waits goes next. When the write completed at once, inside {@link #drain} on
     * this thread, the drain's loop goes on instead and its caller ends the stream if due.
     */
    @Override
    public void succeeded() {
        boolean nested;
        synchronized (this) {
            writing = false;
            nested = draining;
            if (!nested) {
                drain();
            }
        }
        if (!nested) {
            finishIfDone();
        }
    }

    /** The client went away or the connection failed: nothing more can be sent. */
    @Override
    public void failed(Throwable t) {
        boolean nested;
        synchronized (this) {
            responseOver();
            nested = draining;
        }
        if (!nested) {
            finishIfDone();
        }
    }

    /**
     * Blocking (Jetty's default), although a completion only starts the next non-blocking write: the last one ends
     * the request, and Javalin's end of it must not run on Jetty's selector thread. A write that completes at once
     * still completes on the writer's thread; only a stream that had to wait for its socket pays the hand-off.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    private void listen() {
        synchronized (this) {
            listening = true;
            drain();
        }
        finishIfDone();
    }

    /**
     * Hands what is pending to Jetty, one write at a time; a write that completes at once lets the loop go on, one
     * that waits for the socket continues in {@link #succeeded}. The caller holds the lock.
     */
    private void drain() {
        if (!listening || !opened || finished) {
            return;
        }
        draining = true;
        try {
            while (!writing && !finished) {
                ByteBuffer next = nextWrite();
                if (next == null) {
                    if (closing) {
                        finished = true;
                    }
                    return;
                }
                writing = true;
                lastSentNanos = System.nanoTime();
                response.write(false, next, this); // may complete, and call succeeded(), before it returns
            }
        } catch (RuntimeException e) { // the client went away
            responseOver();
        } finally {
            draining = false;
        }
    }

    /** The response is over (the client went away): no write is in flight, and none will be. Under the lock. */
    private void responseOver() {
        writing = false;
        finished = true;
        pending.clear();
    }

    /** The waiting frames for one write: one frame as it is, several copied together; null when none wait. */
    private ByteBuffer nextWrite() {
        byte[] first = pending.poll();
        if (first == null) {
            return null;
        }
        pendingBytes -= first.length;
        byte[] second = pending.peek();
        if (second == null || first.length + second.length > MAX_WRITE_BYTES) {
            return ByteBuffer.wrap(first);
        }
        int size = first.length;
        for (byte[] f : pending) {
            if (size + f.length > MAX_WRITE_BYTES) {
                break;
            }
            size += f.length;
        }
        ByteBuffer batch = ByteBuffer.allocate(size).put(first);
        while (batch.hasRemaining()) {
            byte[] f = pending.poll();
            pendingBytes -= f.length;
            batch.put(f);
        }
        return batch.flip();
    }

    /**
     * Runs the end action, then completes the response (Javalin ends the request), once and outside the lock: by
     * the time the client sees the end, whatever the stream was registered with has let go of it.
     */
    private void finishIfDone() {
        Runnable action;
        synchronized (this) {
            if (!finished || writing || endRun) { // Jetty's last write must not overlap one in flight
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
