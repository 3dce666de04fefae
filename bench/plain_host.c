/* plain_host: the plugin driven the way most hosts drive it, in C: run_start, then wait on a
 * condition variable for on_complete (no spinning). One host thread keeps K runs in flight
 * (K = 1: serial calls) until N calls are done, and prints one JSON line:
 *   {"host":"plain","in_flight":K,"calls":N,"failed":F,"seconds":S,"calls_per_second":R}
 * With IN_FLIGHT "here" the thread makes its calls one at a time with run_here (ABI 1.2): the
 * run happens on this thread, nothing to wait for ("host":"plain_here"). With "here:K" it makes
 * them all in one run_here_many (ABI 1.3), K in flight on this thread ("host":"plain_here_many").
 *
 * With ACCOUNTS (a runner's scale, bench/scale_bench.sh), CREDENTIALS_JSON holds one "%d" (in
 * its api_key) and call i uses account i % ACCOUNTS; the line then adds resident memory before
 * the calls, at its peak while they are in flight, and after they all completed.
 *
 * usage: plain_host LIBRARY NODE_ID INPUT_JSON CREDENTIALS_JSON CALLS IN_FLIGHT|here|here:K [ACCOUNTS]
 * A call fails when its envelope does not say "StatusCode":200. bench/limit_bench.sh runs it
 * beside wrk against one sandbox. */
#define _GNU_SOURCE /* memmem */
#include "wfp_plugin.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct waiter {
    pthread_mutex_t mutex;
    pthread_cond_t changed;
    long finished;
    long failed;
};

/* With ACCOUNTS: one request per account (the credentials differ), and the memory sampled. */
static long accounts;
static wfp_run_request* account_requests;
static long rss_peak_kib;

/* A line of /proc/self/status in KiB: "VmRSS:" (all resident memory) or "RssAnon:" (the heap,
   stacks and other private memory, without the pages of code and files mapped in). */
static long status_kib(const char* field) {
    FILE* status = fopen("/proc/self/status", "r");
    char line[256];
    long kib = 0;
    while (status && fgets(line, sizeof line, status))
        if (strncmp(line, field, strlen(field)) == 0) kib = atol(line + strlen(field));
    if (status) fclose(status);
    return kib;
}

static long resident_kib(void) {
    return status_kib("VmRSS:");
}

/* With accounts: notes the resident memory if it is the highest seen. */
static void sample_peak(void) {
    if (!accounts) return;
    const long kib = resident_kib();
    if (kib > rss_peak_kib) rss_peak_kib = kib;
}

static const wfp_plugin_api* api;

static wfp_str str(const char* text) {
    wfp_str s = {text, strlen(text)};
    return s;
}

/* Counts one finished call (the caller holds w->mutex where another thread may count). */
static void count(struct waiter* w, wfp_str envelope) {
    const int ok = envelope.ptr && memmem(envelope.ptr, envelope.len, "\"StatusCode\":200", 16) != NULL;
    if (!ok && w->failed == 0) fprintf(stderr, "plain_host: a call failed: %.*s\n", (int)envelope.len, envelope.ptr);
    w->finished += 1;
    w->failed += ok ? 0 : 1;
}

static void on_complete(void* user_data, wfp_run* run, wfp_str envelope) {
    struct waiter* w = user_data;
    pthread_mutex_lock(&w->mutex);
    count(w, envelope);
    pthread_cond_signal(&w->changed);
    pthread_mutex_unlock(&w->mutex);
    api->run_release(run); /* the header allows it here */
}

/* run_here's callback: on this thread, before run_here returns; no handle, nothing to wake.
   With accounts, resident memory is sampled once per 256 calls. */
static void on_complete_here(void* user_data, wfp_run* run, wfp_str envelope) {
    (void)run;
    struct waiter* w = user_data;
    count(w, envelope);
    if (w->finished % 256 == 0) sample_peak();
}

/* Call i's request: with accounts, account i % ACCOUNTS's. */
static const wfp_run_request* request_for(const wfp_run_request* request, long i) {
    return accounts ? &account_requests[i % accounts] : request;
}

/* N calls in one run_here_many, K in flight on this thread; every call gets the same user_data. */
static int make_calls_here_many(const wfp_run_request* request, long calls, long in_flight, struct waiter* w) {
    const wfp_run_request** requests = malloc((size_t)calls * sizeof *requests);
    void** user_data = malloc((size_t)calls * sizeof *user_data);
    int status = WFP_ERR_INTERNAL;
    if (requests && user_data) {
        for (long i = 0; i < calls; ++i) {
            requests[i] = request_for(request, i);
            user_data[i] = w;
        }
        status = api->run_here_many(requests, (size_t)calls, (size_t)in_flight, on_complete_here,
                                    (void* const*)user_data);
    }
    free(requests);
    free(user_data);
    return status == WFP_OK ? 0 : 1;
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* N calls, K in flight (or one at a time with run_here, or K in flight with run_here_many); 0
   when every call could be started. */
static int make_calls(const wfp_run_request* request, int here, long calls, long in_flight, struct waiter* w) {
    if (here && in_flight > 1) return make_calls_here_many(request, calls, in_flight, w);
    long started = 0;
    for (; here && started < calls; ++started) {
        if (api->run_here(request_for(request, started), on_complete_here, w) != WFP_OK) return 1;
    }
    pthread_mutex_lock(&w->mutex);
    while (w->finished < calls) {
        while (started < calls && started - w->finished < in_flight) {
            pthread_mutex_unlock(&w->mutex);
            wfp_run* run = NULL;
            if (api->run_start(request_for(request, started), on_complete, w, &run) != WFP_OK) return 1;
            pthread_mutex_lock(&w->mutex);
            started += 1;
        }
        sample_peak();
        if (w->finished < calls) pthread_cond_wait(&w->changed, &w->mutex);
    }
    pthread_mutex_unlock(&w->mutex);
    return 0;
}

static const wfp_plugin_api* load(const char* library) {
    void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        fprintf(stderr, "plain_host: %s\n", dlerror());
        return NULL;
    }
    wfp_get_entry_v1_fn entry = (wfp_get_entry_v1_fn)dlsym(handle, WFP_ENTRY_SYMBOL);
    return entry ? entry() : NULL;
}

int main(int argc, char** argv) {
    if (argc != 7 && argc != 8) {
        fprintf(stderr,
                "usage: plain_host LIBRARY NODE_ID INPUT_JSON CREDENTIALS_JSON CALLS IN_FLIGHT|here|here:K "
                "[ACCOUNTS]\n");
        return 2;
    }
    const int here = strncmp(argv[6], "here", 4) == 0;
    accounts = argc == 8 ? atol(argv[7]) : 0;
    const long calls = atol(argv[5]);
    const long in_flight = !here ? atol(argv[6]) : argv[6][4] == ':' ? atol(argv[6] + 5) : 1;
    api = load(argv[1]);
    if (!api || calls < 1 || in_flight < 1) return 2;
    if (here && (api->struct_size < offsetof(wfp_plugin_api, run_here) + sizeof api->run_here || !api->run_here)) {
        fprintf(stderr, "plain_host: the plugin has no run_here (ABI 1.2)\n");
        return 2;
    }
    if (here && in_flight > 1 &&
        (api->struct_size < offsetof(wfp_plugin_api, run_here_many) + sizeof api->run_here_many ||
         !api->run_here_many)) {
        fprintf(stderr, "plain_host: the plugin has no run_here_many (ABI 1.3)\n");
        return 2;
    }
    wfp_host_api host;
    memset(&host, 0, sizeof host);
    host.struct_size = sizeof host;
    host.abi_major = WFP_ABI_MAJOR;
    host.abi_minor = WFP_ABI_MINOR;
    wfp_str error = {NULL, 0};
    if (api->init(&host, NULL, &error) != WFP_OK) {
        fprintf(stderr, "plain_host: init: %.*s\n", (int)error.len, error.ptr);
        return 1;
    }
    wfp_run_request request;
    memset(&request, 0, sizeof request);
    request.struct_size = sizeof request;
    request.node_id = str(argv[2]);
    request.input_json = str(argv[3]);
    request.credentials_json = str(argv[4]);

    if (accounts > 0) {
        account_requests = calloc((size_t)accounts, sizeof *account_requests);
        for (long i = 0; i < accounts; ++i) {
            const size_t size = strlen(argv[4]) + 32;
            char* text = malloc(size);
            snprintf(text, size, argv[4], (int)i);
            account_requests[i] = request;
            account_requests[i].credentials_json = str(text);
        }
    }
    const long rss_before_kib = resident_kib();
    /* The baseline: after one run, which pages in the code it runs and loads the trust store,
       as any host's first run does; what comes on top of that is per run. */
    struct waiter first = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    if (make_calls(&request, here, 1, 1, &first) != 0) return 1;
    const long rss_baseline_kib = resident_kib();
    const long anon_baseline_kib = status_kib("RssAnon:");
    /* Warm-up, untimed: the first calls open the connections (and, for run_here, the lane). */
    struct waiter warm = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    const long warm_calls = accounts ? accounts : in_flight; /* with accounts: one call each */
    if (make_calls(&request, here, warm_calls, warm_calls, &warm) != 0) return 1;
    rss_peak_kib = 0;
    struct waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    const double start = now_seconds();
    if (make_calls(&request, here, calls, in_flight, &w) != 0) return 1;
    const double seconds = now_seconds() - start;
    const long rss_after_kib = resident_kib(); /* the runs are done; idle connections are kept */
    api->deinit();
    const long rss_after_deinit_kib = resident_kib(); /* the connections are closed too */
    const long anon_after_deinit_kib = status_kib("RssAnon:");
    if (accounts)
        printf("{\"accounts\":%ld,\"rss_before_kib\":%ld,\"rss_baseline_kib\":%ld,\"rss_peak_kib\":%ld,"
               "\"rss_after_kib\":%ld,\"rss_after_deinit_kib\":%ld,\"anon_baseline_kib\":%ld,"
               "\"anon_after_deinit_kib\":%ld,",
               accounts, rss_before_kib, rss_baseline_kib, rss_peak_kib, rss_after_kib, rss_after_deinit_kib,
               anon_baseline_kib, anon_after_deinit_kib);
    else
        printf("{");
    printf(
        "\"host\":\"%s\",\"in_flight\":%ld,\"calls\":%ld,\"failed\":%ld,\"seconds\":%.4f,"
        "\"calls_per_second\":%.1f}\n",
        !here ? "plain" : in_flight > 1 ? "plain_here_many" : "plain_here", in_flight, calls, w.failed, seconds, (double)calls / seconds);
    return w.failed ? 1 : 0;
}
