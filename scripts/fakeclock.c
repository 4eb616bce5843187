/* The wall clock moved by FAKECLOCK_OFFSET seconds, for scripts/at.sh (LD_PRELOAD): CLOCK_REALTIME (and its
   coarse variant), gettimeofday and time are shifted; the monotonic clocks, sleeps, polls and timers stay real,
   so Postgres keeps its statement, lock and deadlock timeouts and Python its waits (libfaketime 0.9.10 breaks
   both). A fixed offset read from the environment: pytest, the server it starts and every backend share one
   clock without shared state. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static long offset(void)
{
    static long off;
    static int read;
    if (!read) {
        const char *s = getenv("FAKECLOCK_OFFSET");
        off = s ? atol(s) : 0;
        read = 1;
    }
    return off;
}

int clock_gettime(clockid_t id, struct timespec *tp)
{
    static int (*next)(clockid_t, struct timespec *);
    if (!next)
        next = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int r = next(id, tp);
    if (r == 0 && tp && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
        tp->tv_sec += offset();
    return r;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    static int (*next)(struct timeval *restrict, void *restrict);
    if (!next)
        next = (int (*)(struct timeval *restrict, void *restrict))dlsym(RTLD_NEXT, "gettimeofday");
    int r = next(tv, tz);
    if (r == 0 && tv)
        tv->tv_sec += offset();
    return r;
}

time_t time(time_t *t)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (t)
        *t = ts.tv_sec;
    return ts.tv_sec;
}
