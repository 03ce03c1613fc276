// SSE subscribers for the assistant benchmark (issue #7): N connections to one conversation's stream, read by
// a single epoll thread, so that 500 clients cost the two shared cores far less than 500 Java readers would.
// Each message.delta carries the upstream model's System.nanoTime() as its text; on Linux that clock is
// CLOCK_MONOTONIC, so the time a frame was read here minus that number is the whole upstream -> subscriber path.
// Usage: sseclients HOST PORT PATH COOKIE N OUT_FILE [TIMEOUT_SECS=120]
// Writes "token read_ns" per delivery to OUT_FILE and prints one summary line of key=value figures.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 65536

typedef struct {
    int fd;
    int len;
    int done;
    char buf[BUF];
} conn_t;

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static long long *added;
static long added_n, added_cap;
static FILE *out;

// Handles every complete frame ("\n\n"-terminated) in c->buf; returns 1 when message.done was seen.
static int frames(conn_t *c, long long read_at) {
    int start = 0, finished = 0;
    for (;;) {
        char *end = memmem(c->buf + start, c->len - start, "\n\n", 2);
        if (!end) break;
        *end = 0;
        char *frame = c->buf + start;
        if (strstr(frame, "event: message.delta")) {
            char *p = strstr(frame, "\"content\":\"");
            if (p) {
                long long token = strtoll(p + 11, NULL, 10);
                if (token > 0) {
                    if (added_n == added_cap) {
                        added_cap = added_cap ? added_cap * 2 : 1 << 16;
                        added = realloc(added, added_cap * sizeof *added);
                    }
                    added[added_n++] = read_at - token;
                    fprintf(out, "%lld %lld\n", token, read_at);
                }
            }
        } else if (strstr(frame, "event: message.done")) {
            finished = 1;
        }
        start = (int)(end - c->buf) + 2;
    }
    memmove(c->buf, c->buf + start, c->len - start);
    c->len -= start;
    return finished;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: sseclients HOST PORT PATH COOKIE N OUT_FILE [TIMEOUT_SECS]\n");
        return 2;
    }
    int n = atoi(argv[5]);
    int timeout = argc > 7 ? atoi(argv[7]) : 120;
    out = fopen(argv[6], "w");
    if (!out) {
        perror("out file");
        return 1;
    }
    struct sockaddr_in target = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    inet_pton(AF_INET, argv[1], &target.sin_addr);
    char request[4096];
    int rlen = snprintf(request, sizeof request,
                        "GET %s HTTP/1.1\r\nHost: %s:%s\r\nCookie: %s\r\nAccept: text/event-stream\r\n\r\n", argv[3],
                        argv[1], argv[2], argv[4]);
    conn_t *c = calloc(n, sizeof *c);
    int ep = epoll_create1(0);
    int opened = 0;
    for (int i = 0; i < n; i++) {
        c[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(c[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(c[i].fd, (struct sockaddr *)&target, sizeof target) < 0 ||
            write(c[i].fd, request, rlen) != rlen) {
            perror("connect");
            close(c[i].fd);
            c[i].fd = -1;
            c[i].done = 1;
            continue;
        }
        fcntl(c[i].fd, F_SETFL, fcntl(c[i].fd, F_GETFL) | O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
        opened++;
    }
    printf("connected=%d\n", opened);
    fflush(stdout);
    int finished = 0, failed = 0;
    long long deadline = now_ns() + timeout * 1000000000LL;
    struct epoll_event evs[256];
    while (finished + failed < opened && now_ns() < deadline) {
        int k = epoll_wait(ep, evs, 256, 200);
        long long read_at = now_ns();
        for (int e = 0; e < k; e++) {
            conn_t *x = &c[evs[e].data.u32];
            if (x->done) continue;
            ssize_t r = read(x->fd, x->buf + x->len, BUF - 1 - x->len);
            if (r > 0) {
                x->len += r;
                x->buf[x->len] = 0;
                int fin = frames(x, read_at);
                if (fin || x->len >= BUF - 1) {
                    if (fin) finished++; else failed++;
                    x->done = 1;
                    epoll_ctl(ep, EPOLL_CTL_DEL, x->fd, NULL);
                    close(x->fd);
                }
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                failed++;
                x->done = 1;
                epoll_ctl(ep, EPOLL_CTL_DEL, x->fd, NULL);
                close(x->fd);
            }
        }
    }
    fclose(out);
    qsort(added, added_n, sizeof *added, cmp);
    double p50 = added_n ? added[added_n / 2] / 1e6 : 0;
    double p99 = added_n ? added[(long)(added_n * 0.99)] / 1e6 : 0;
    double max = added_n ? added[added_n - 1] / 1e6 : 0;
    printf("subscribers=%d finished=%d failed=%d deliveries=%ld added_p50_ms=%.1f added_p99_ms=%.1f "
           "added_max_ms=%.1f\n",
           opened, finished, failed, added_n, p50, p99, max);
    return finished == opened ? 0 : 1;
}
