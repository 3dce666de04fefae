/*
 * wfp_plugin.h - the workflow plugin ABI, version 1.
 *
 * The only thing a host and a plugin share. Pure C99; includes <stdint.h> and <stddef.h> only.
 *
 * Versioning
 *   A plugin exports exactly one symbol, wfp_get_entry_v1 (the name carries the ABI major). It
 *   returns a static wfp_plugin_api table. Every struct starts with struct_size; structs only grow
 *   at the end. A reader uses the prefix it knows (min of its own size and struct_size), and a
 *   function pointer added in a later minor may be NULL. A new major means a new entry name.
 *
 * Ownership: nothing is freed across the boundary.
 *   Everything passed into a call is borrowed for the duration of that call; everything handed
 *   out by the plugin is owned by the plugin and valid for the lifetime stated on it. Each side
 *   copies what it wants to keep.
 *
 * Errors: no C++ exception, abort or signal crosses the boundary. Every function is a barrier.
 *
 * Threads: each function states its thread rule. "any thread" means concurrently from any
 *   number of host threads.
 */
#ifndef WFP_PLUGIN_H
#define WFP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WFP_ABI_MAJOR 1
#define WFP_ABI_MINOR 0

/* The exported entry's name, for dlsym. */
#define WFP_ENTRY_SYMBOL "wfp_get_entry_v1"

/* A borrowed, not necessarily NUL-terminated UTF-8 string. {NULL, 0} is the empty string. */
typedef struct wfp_str {
    const char* ptr;
    size_t len;
} wfp_str;

/* Return codes of init and run_start. */
typedef enum wfp_status {
    WFP_OK = 0,
    WFP_ERR_INVALID_ARGUMENT = 1, /* a NULL pointer or a struct too small to read */
    WFP_ERR_NOT_INITIALIZED = 2,  /* run_start before init or after deinit */
    WFP_ERR_UNSUPPORTED_HOST = 3, /* init: the host's ABI is older than the plugin accepts */
    WFP_ERR_INTERNAL = 4          /* the plugin could not do it (out of memory, ...) */
} wfp_status;

typedef enum wfp_log_level { WFP_LOG_DEBUG = 0, WFP_LOG_INFO = 1, WFP_LOG_WARN = 2, WFP_LOG_ERROR = 3 } wfp_log_level;

/* Services the host offers to the plugin, handed to init. */
typedef struct wfp_host_api {
    uint32_t struct_size; /* sizeof(wfp_host_api) as the host compiled it */
    uint16_t abi_major;   /* WFP_ABI_MAJOR of the host */
    uint16_t abi_minor;   /* WFP_ABI_MINOR of the host */
    void* host_data;      /* passed back unchanged to every host function */
    /* Log sink; may be NULL. Thread: any thread. Ownership: message is borrowed for the call.
     * Never receives secrets. */
    void (*log)(void* host_data, wfp_log_level level, wfp_str message);
    /* Extra PEM CA bundle file trusted besides the system store; empty for none.
     * Ownership: the plugin copies it during init. */
    wfp_str ca_bundle_file;
} wfp_host_api;

/* Node flags. */
#define WFP_NODE_IDEMPOTENT 0x1u  /* running it twice has the effect of running it once */
#define WFP_NODE_DESTRUCTIVE 0x2u /* deletes data: a canvas should ask before running it */
#define WFP_NODE_PAGINATED 0x4u   /* returns one page of a longer list */

/* One node the plugin offers. Owned by the plugin, valid from init to deinit. All strings are
 * NUL-terminated as well as sized. The three schemas are draft-07 JSON Schema documents. */
typedef struct wfp_node_descriptor {
    uint32_t struct_size;
    wfp_str id;              /* stable, e.g. "freshdesk.ticket.create" */
    uint32_t version;        /* (id, version) names the node's contract */
    wfp_str display_name;    /* e.g. "Create a Ticket" */
    wfp_str description;     /* one paragraph for a canvas */
    wfp_str resource;        /* e.g. "Ticket" */
    wfp_str operation;       /* e.g. "Create" */
    wfp_str credential_type; /* which credentials the node needs */
    wfp_str inputs_schema;   /* required parameters */
    wfp_str options_schema;  /* optional parameters */
    wfp_str outputs_schema;  /* the envelope and the operation's outputs */
    uint32_t flags;          /* WFP_NODE_* */
} wfp_node_descriptor;

/* What to run. Borrowed for the duration of run_start; the plugin copies what it needs. */
typedef struct wfp_run_request {
    uint32_t struct_size;
    wfp_str node_id;
    wfp_str input_json;       /* one JSON object: the node's inputs and options together */
    wfp_str credentials_json; /* one JSON object matching the credentials schema */
} wfp_run_request;

/* An in-flight run. Opaque; valid from run_start until run_release. */
typedef struct wfp_run wfp_run;

/* Called exactly once per run that run_start accepted, on a plugin thread, never from inside
 * run_start, run_cancel or run_release. envelope_json is one JSON object, borrowed for the
 * duration of the callback. The callback should return promptly; it may call run_release (and
 * run_start, run_cancel) for this or any other run. */
typedef void (*wfp_on_complete)(void* user_data, wfp_run* run, wfp_str envelope_json);

typedef struct wfp_plugin_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    wfp_str plugin_name;    /* e.g. "freshdesk-nodes" */
    wfp_str plugin_version; /* semantic version of the plugin */

    /* Starts the plugin: host services, plugin folder (NUL-terminated path). Returns WFP_OK or
     * an error; on error *error_message (if error_message is not NULL) points to plugin-owned
     * text valid until the next init. Thread: once, before anything else below, not concurrently
     * with any other call. A plugin may be initialised again after deinit. */
    int (*init)(const wfp_host_api* host, const char* plugin_dir, wfp_str* error_message);

    /* Stops the plugin: runs still in flight complete (their callbacks are called, as cancelled)
     * and every plugin thread is joined before it returns. Handles are invalid afterwards.
     * Thread: once per init, from a host thread, never from inside a callback, not
     * concurrently with init or deinit. */
    void (*deinit)(void);

    /* Number of nodes, and the node at index (NULL when out of range). Descriptors and their
     * strings are plugin-owned and valid until deinit. Thread: any thread, between init and
     * deinit. */
    size_t (*node_count)(void);
    const wfp_node_descriptor* (*node_at)(size_t index);

    /* The credentials schema (draft-07 JSON Schema text) for credential_type. Plugin-owned,
     * valid until deinit. Thread: any thread, between init and deinit. */
    wfp_str (*credentials_schema)(wfp_str credential_type);

    /* Starts a run. On WFP_OK *run is set and on_complete will be called exactly once, later,
     * on a plugin thread, whatever happens (bad input, network failure, cancel, deinit). On any
     * other return nothing was started, *run is untouched and the callback is never called.
     * Ownership: request is borrowed for the call; user_data is passed back untouched.
     * Thread: any thread, between init and deinit. */
    int (*run_start)(const wfp_run_request* request, wfp_on_complete on_complete, void* user_data, wfp_run** run);

    /* Asks a run to stop: it completes promptly, as cancelled if it had not finished. Safe at
     * any time between run_start and run_release, any number of times, including from inside
     * the callback. Thread: any thread. */
    void (*run_cancel)(wfp_run* run);

    /* Gives the handle back. Exactly once per run, at any time after run_start returned,
     * including from inside the run's own callback. Releasing a run that has not completed
     * cancels it; its callback is still called exactly once. Thread: any thread. */
    void (*run_release)(wfp_run* run);
} wfp_plugin_api;

/* The plugin's only export. Returns a pointer to a static table; never NULL.
 * Thread: any thread, any time, including before init. */
typedef const wfp_plugin_api* (*wfp_get_entry_v1_fn)(void);

#if defined(_WIN32)
#define WFP_EXPORT __declspec(dllexport)
#else
#define WFP_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
}
#endif

#endif /* WFP_PLUGIN_H */
