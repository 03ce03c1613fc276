// Load generator for the sensor benchmarks (issue #9): a single-threaded epoll client, so the client does not
// saturate a core before the server does. Modes:
//   rate  HOST PORT SECONDS WORKERS MARKER [REPLY]   connect -> read until MARKER -> close, WORKERS at a time;
//                                                    if REPLY is given it is sent when the first bytes arrive
//                                                    (Telnet: answer the terminal questions); a REPLY that
//                                                    starts with '>' is sent as soon as the connection is up
//                                                    (HTTP: the request)
//   hold  HOST PORT COUNT SECONDS                    open COUNT connections, keep them idle SECONDS, report
//                                                    how many stayed open
//   serial HOST PORT COUNT MARKER [REPLY]            one connection at a time; prints latency percentiles (us)
// Prints one line of key=value figures.
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

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static struct sockaddr_in target;

static int open_conn(int blocking) {
    int fd = socket(AF_INET, SOCK_STREAM | (blocking ? 0 : SOCK_NONBLOCK), 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct linger l = {1, 0}; // RST on close: no TIME_WAIT pile-up on the client side
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    if (connect(fd, (struct sockaddr *)&target, sizeof target) < 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

typedef struct {
    int fd;
    int got;
    int replied;
    char buf[4096];
    double started;
} conn_t;

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int rate(int seconds, int workers, const char *marker, const char *reply) {
    int first = reply && reply[0] == '>';
    if (first) reply++;
    unsigned base_events = EPOLLIN | EPOLLRDHUP | (first ? EPOLLOUT : 0);
    int ep = epoll_create1(0);
    conn_t *c = calloc(workers, sizeof *c);
    long done = 0, errors = 0;
    double end = now() + seconds;
    for (int i = 0; i < workers; i++) {
        c[i].fd = open_conn(0);
        struct epoll_event ev = {.events = base_events, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
    }
    struct epoll_event evs[256];
    while (now() < end) {
        int n = epoll_wait(ep, evs, 256, 100);
        for (int k = 0; k < n; k++) {
            conn_t *x = &c[evs[k].data.u32];
            if (first && !x->replied && (evs[k].events & EPOLLOUT)) {
                (void)!write(x->fd, reply, strlen(reply));
                x->replied = 1;
                struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = evs[k].data.u32};
                epoll_ctl(ep, EPOLL_CTL_MOD, x->fd, &ev);
                if (!(evs[k].events & EPOLLIN)) continue;
            }
            ssize_t r = read(x->fd, x->buf + x->got, sizeof x->buf - 1 - x->got);
            int finished = 0;
            if (r > 0) {
                x->got += r;
                x->buf[x->got] = 0;
                if (reply && !x->replied) {
                    (void)!write(x->fd, reply, strlen(reply));
                    x->replied = 1;
                }
                if (memmem(x->buf, x->got, marker, strlen(marker))) { done++; finished = 1; }
                else if (x->got >= (int)sizeof x->buf - 1) { errors++; finished = 1; }
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                errors++;
                finished = 1;
            }
            if (finished) {
                epoll_ctl(ep, EPOLL_CTL_DEL, x->fd, NULL);
                close(x->fd);
                x->got = 0;
                x->replied = 0;
                x->fd = open_conn(0);
                struct epoll_event ev = {.events = base_events, .data.u32 = evs[k].data.u32};
                if (x->fd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, x->fd, &ev) < 0) errors++;
            }
        }
    }
    printf("mode=rate seconds=%d workers=%d completed=%ld errors=%ld per_sec=%.0f\n", seconds, workers, done, errors,
           done / (double)seconds);
    return 0;
}

static int hold(int count, int seconds) {
    int *fds = calloc(count, sizeof *fds);
    int opened = 0;
    for (int i = 0; i < count; i++) {
        fds[i] = open_conn(1);
        if (fds[i] >= 0) opened++;
        if (i % 500 == 499) usleep(20000); // let the server accept in step
    }
    printf("mode=hold opened=%d\n", opened);
    fflush(stdout);
    sleep(seconds);
    int alive = 0;
    for (int i = 0; i < count; i++) {
        if (fds[i] < 0) continue;
        char b;
        int fl = fcntl(fds[i], F_GETFL);
        fcntl(fds[i], F_SETFL, fl | O_NONBLOCK);
        ssize_t r;
        while ((r = recv(fds[i], &b, 1, 0)) > 0) {}
        if (r < 0 && errno == EAGAIN) alive++;
        close(fds[i]);
    }
    printf("mode=hold still_open=%d\n", alive);
    return 0;
}

static int serial(int count, const char *marker, const char *reply) {
    double *lat = calloc(count, sizeof *lat);
    int ok = 0;
    for (int i = 0; i < count; i++) {
        double t0 = now();
        int fd = open_conn(1);
        if (fd < 0) continue;
        char buf[4096];
        int got = 0, replied = 0;
        while (got < (int)sizeof buf - 1) {
            ssize_t r = read(fd, buf + got, sizeof buf - 1 - got);
            if (r <= 0) break;
            got += r;
            if (reply && !replied) {
                (void)!write(fd, reply, strlen(reply));
                replied = 1;
            }
            if (memmem(buf, got, marker, strlen(marker))) {
                lat[ok++] = (now() - t0) * 1e6;
                break;
            }
        }
        close(fd);
    }
    qsort(lat, ok, sizeof *lat, cmp);
    printf("mode=serial count=%d ok=%d p50_us=%.0f p90_us=%.0f p99_us=%.0f\n", count, ok, ok ? lat[ok / 2] : 0,
           ok ? lat[ok * 9 / 10] : 0, ok ? lat[ok * 99 / 100] : 0);
    return 0;
}

// C escapes in REPLY ("\xff\xfc\x18") are decoded, so the shell can pass Telnet bytes.
static char *decode(const char *s) {
    char *out = malloc(strlen(s) + 1), *o = out;
    while (*s) {
        if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
            char h[3] = {s[2], s[3], 0};
            *o++ = (char)strtol(h, NULL, 16);
            s += 4;
        } else if (s[0] == '\\' && s[1] == 'r') { *o++ = '\r'; s += 2; }
        else if (s[0] == '\\' && s[1] == 'n') { *o++ = '\n'; s += 2; }
        else *o++ = *s++;
    }
    *o = 0;
    return out;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: loadgen rate|hold|serial HOST PORT ...\n");
        return 2;
    }
    target.sin_family = AF_INET;
    target.sin_port = htons(atoi(argv[3]));
    inet_pton(AF_INET, argv[2], &target.sin_addr);
    if (!strcmp(argv[1], "rate") && argc >= 7) return rate(atoi(argv[4]), atoi(argv[5]), decode(argv[6]), argc > 7 ? decode(argv[7]) : NULL);
    if (!strcmp(argv[1], "hold")) return hold(atoi(argv[4]), argc > 5 ? atoi(argv[5]) : 10);
    if (!strcmp(argv[1], "serial") && argc >= 6) return serial(atoi(argv[4]), decode(argv[5]), argc > 6 ? decode(argv[6]) : NULL);
    fprintf(stderr, "bad arguments\n");
    return 2;
}
