/*
 * wfp_plugin.h - the workflow plugin ABI, version 1.
 *
 * The only thing a host and a plugin share. Pure C99; includes <stdint.h> and <stddef.h> only.
 *
 * Versioning
 *   A plugin exports exactly one symbol, wfp_get_entry_v1 (the name carries the ABI major). It
 *   returns a static wfp_plugin_api table. Every struct starts with struct_size; structs only grow
 *   at the end, and every field a minor version added is marked "Added in ABI 1.N" (fields
 *   without a mark are ABI 1.0). A reader uses the prefix it knows (the smaller of its own size
 *   and struct_size): a field outside the struct_size it was given is absent, and a function
 *   pointer added in a later minor may be NULL. A new major means a new entry name.
 *
 * Ownership: nothing is freed across the boundary.
 *   BORROWED: valid only for the duration of the call it is passed to; the receiver copies what
 *   it keeps. PLUGIN-OWNED: the plugin keeps it alive for the lifetime stated beside it.
 *   HOST-OWNED: the host keeps it alive for the lifetime stated beside it.
 *
 * Errors: no C++ exception, abort or signal crosses the boundary. Every function is a barrier.
 *
 * Threads: each function states its thread rule. "[any thread]" means concurrently from any
 *   number of host threads. Callbacks of run_start run on plugin threads: callbacks of different
 *   runs may run at the same time on different plugin threads; the callbacks of one run never
 *   overlap. Callbacks of run_here and run_here_many run on the thread that called them.
 */
#ifndef WFP_PLUGIN_H
#define WFP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WFP_ABI_MAJOR 1
#define WFP_ABI_MINOR 3

/* The exported entry's name, for dlsym. */
#define WFP_ENTRY_SYMBOL "wfp_get_entry_v1"

#if defined(_WIN32)
#define WFP_EXPORT __declspec(dllexport)
#else
#define WFP_EXPORT __attribute__((visibility("default")))
#endif

/* A not necessarily NUL-terminated UTF-8 string. {NULL, 0} is the empty string. Its ownership is
 * stated wherever one is passed. */
typedef struct wfp_str {
    const char* ptr;
    size_t len;
} wfp_str;

/* Return codes of init, run_start, run_here and run_here_many. */
typedef enum wfp_status {
    WFP_OK = 0,
    WFP_ERR_INVALID_ARGUMENT = 1, /* a required pointer is NULL, or a struct is too small to read */
    WFP_ERR_NOT_INITIALIZED = 2,  /* run_start before init or after deinit */
    WFP_ERR_UNSUPPORTED_HOST = 3, /* init: the host speaks another ABI major */
    WFP_ERR_INTERNAL = 4,         /* the plugin could not do it (out of memory, a broken build, ...) */
    /* Added in ABI 1.1 */
    WFP_ERR_ALREADY_INITIALIZED = 5, /* init: called again without deinit */
    WFP_ERR_UNKNOWN_NODE = 6         /* run_start: no node has that id */
} wfp_status;

typedef enum wfp_log_level { WFP_LOG_DEBUG = 0, WFP_LOG_INFO = 1, WFP_LOG_WARN = 2, WFP_LOG_ERROR = 3 } wfp_log_level;

/* Services the host offers to the plugin, handed to init. BORROWED during init: the plugin copies
 * the struct. */
typedef struct wfp_host_api {
    uint32_t struct_size; /* sizeof(wfp_host_api) as the host compiled it */
    uint16_t abi_major;   /* WFP_ABI_MAJOR of the host */
    uint16_t abi_minor;   /* WFP_ABI_MINOR of the host */
    /* HOST-OWNED, valid until deinit returns; passed back unchanged to every host function. */
    void* host_data;
    /* Log sink; may be NULL. HOST-OWNED function, callable until deinit returns.
     * Thread: [any thread], including plugin threads. message is BORROWED for the call.
     * Never receives secrets. */
    void (*log)(void* host_data, wfp_log_level level, wfp_str message);
    /* Path of an extra PEM CA bundle trusted besides the system store; empty for none.
     * BORROWED during init: the plugin copies the path. */
    wfp_str ca_bundle_file;
} wfp_host_api;

/* Node flags. */
#define WFP_NODE_IDEMPOTENT 0x1u  /* running it twice has the effect of running it once */
#define WFP_NODE_DESTRUCTIVE 0x2u /* deletes data: a canvas should ask before running it */
#define WFP_NODE_PAGINATED 0x4u   /* returns one page of a longer list (or every page, if asked) */
/* Added in ABI 1.1 */
/* A polling trigger: call it on a schedule. Its outputs hold "Cursor", a string to pass back
 * as the next poll's "Cursor" input (none on the first poll); what the poll found is in its
 * array outputs (nothing new when every array is empty); "HasMore": true asks for the next poll
 * at once. After a failed poll (StatusCode other than 200) keep the previous cursor. */
#define WFP_NODE_TRIGGER 0x8u
#define WFP_NODE_READ_ONLY 0x10u /* changes nothing in the remote system */

/* One node the plugin offers. PLUGIN-OWNED, valid from init until deinit returns; so are all its
 * strings, which are NUL-terminated as well as sized. The three schemas are standalone draft-07
 * JSON Schema documents (no $ref to other documents). */
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

    /* Added in ABI 1.1: what a canvas needs beyond JSON Schema. */
    wfp_str category; /* palette group, e.g. "Freshdesk" */
    wfp_str subtitle; /* a short line shown under the node's name, e.g. "Open a ticket for a customer" */
    wfp_str icon;     /* an SVG file, relative to the plugin folder, e.g. "icons/freshdesk.svg" */
    /* JSON array of every input and option name, in the order a form shows them. */
    wfp_str field_order_json;
    /* JSON object: for a field whose choices come from the remote system, the node that lists
     * them and where in its outputs: {"GroupId": {"node": "freshdesk.group.list", "items": "Groups",
     * "value": "id", "label": "name"}}. "items" is a dot path into that node's outputs to an
     * array; "value" and "label" are dot paths inside each item. A step of a path may end in a
     * selector, [key=text], that keeps the array's items whose key, as text, equals text; a step
     * after an array is taken in each item and the results are joined into one array:
     * "Fields[name=ticket_type].choices" is the choices of the field named ticket_type.
     * "choices" (optional, for a field holding an object of named values) is a path inside each
     * item to that value's own choices. "filter" (optional) is an object of dot path -> value an
     * item must match to be offered. {} when no field has one. */
    wfp_str option_sources_json;
    /* JSON array of the rules about the input that no JSON Schema keyword states, each an object
     * with "kind" and "message":
     *   {"kind": "at_least_one", "fields": [...]}   one of the fields is given (not blank)
     *   {"kind": "together", "fields": [...]}       all of the fields or none are given
     *   {"kind": "ordered", "before": A, "after": B} when both are given, date-time A < B
     *   {"kind": "not_with", "field": A, "fields": [...]} A is not given with any of the fields
     *   {"kind": "max_total_base64_bytes", "field": A, "item_field": B, "limit": N}
     *        the decoded sizes of A[*].B add up to at most N bytes
     *   {"kind": "base64", "field": A, "item_field": B}  every A[*].B is valid base64
     *   {"kind": "cursor", "field": A}               A is a cursor the node returned: base64url
     *        (RFC 4648 section 5, no padding) of {"v": 1, "t": <integer>, "ids": [<integers>]}
     * A value is blank when it is null, a string of only whitespace, or an empty object. A host
     * that does not know a kind may skip it: the plugin checks every rule itself. [] for none. */
    wfp_str rules_json;
    /* The node a canvas runs to check this node's credentials (it needs no input); empty if
     * none. */
    wfp_str credential_test_node;
} wfp_node_descriptor;

/* An in-flight run. Opaque; valid from run_start until run_release. */
typedef struct wfp_run wfp_run;

/* Called exactly once per run that run_start accepted, on a plugin thread, never from inside
 * run_start, run_cancel or run_release (run_here and run_here_many call it on their caller's
 * thread instead, with run == NULL). envelope_json is one JSON object, BORROWED for the
 * duration of the callback: every output the node declares (its empty value when unfilled) and
 *   StatusCode          200 the service answered, whatever its HTTP status (a 404 included);
 *                       -1 the input was refused before anything was sent; 500 no usable
 *                       answer (network, TLS, timeout, cancel), or 429/5xx after the retries
 *   OriginalStatusCode  the service's HTTP status, 0 when none arrived
 *   ErrorMessage        "" on success, else what happened (never a secret)
 * The callback should return promptly; it may call run_release (and run_start, run_cancel) for
 * this or any other run. */
typedef void (*wfp_on_complete)(void* user_data, wfp_run* run, wfp_str envelope_json);

/* Added in ABI 1.1. How far a long run (one that reads many pages) has got: items_so_far read
 * until now, and total, the number expected, or -1 when unknown. Called on a plugin thread, at
 * most a few times a second, never from inside run_start and never after that run's
 * on_complete has started. Must return promptly; must not call run_release for this run. */
typedef void (*wfp_on_progress)(void* user_data, wfp_run* run, uint64_t items_so_far, int64_t total);

/* What to run. BORROWED for the duration of run_start; the plugin copies what it needs. */
typedef struct wfp_run_request {
    uint32_t struct_size;
    wfp_str node_id;
    wfp_str input_json;       /* one JSON object: the node's inputs and options together */
    wfp_str credentials_json; /* one JSON object matching the credentials schema */
    /* Added in ABI 1.1 */
    wfp_on_progress on_progress; /* NULL for no progress reports */
} wfp_run_request;

typedef struct wfp_plugin_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    wfp_str plugin_name;    /* PLUGIN-OWNED, static. e.g. "freshdesk-nodes" */
    wfp_str plugin_version; /* PLUGIN-OWNED, static. Semantic version of the plugin */

    /* Starts the plugin. host: BORROWED (copied). plugin_dir: the folder holding the library
     * and its package.json, NUL-terminated, BORROWED; may be NULL. This plugin embeds all it
     * needs and reads nothing from it; descriptor paths (icon) are relative to it.
     * Returns WFP_OK, or:
     *   WFP_ERR_INVALID_ARGUMENT     host is NULL or its struct_size does not reach ca_bundle_file
     *   WFP_ERR_UNSUPPORTED_HOST     host->abi_major is not WFP_ABI_MAJOR
     *   WFP_ERR_ALREADY_INITIALIZED  init succeeded before and deinit was not called since
     *   WFP_ERR_INTERNAL             the plugin cannot start (its node catalogue is inconsistent,
     *                                out of memory, ...)
     * On error *error_message (if error_message is not NULL) is set to PLUGIN-OWNED text valid
     * until the next init. Thread: once, before anything else below, not concurrently with any
     * other call. A plugin may be initialised again after deinit. */
    int (*init)(const wfp_host_api* host, const char* plugin_dir, wfp_str* error_message);

    /* Stops the plugin: runs still in flight complete (their callbacks are called, as cancelled)
     * and every plugin thread is joined before it returns; after it returns the plugin calls no
     * host function. Handles are invalid afterwards. Thread: once per init, from a host thread,
     * never from inside a callback, not concurrently with init or deinit. */
    void (*deinit)(void);

    /* Number of nodes, and the node at index (NULL when out of range). Descriptors are
     * PLUGIN-OWNED, valid until deinit. Thread: [any thread], between init and deinit. */
    size_t (*node_count)(void);
    const wfp_node_descriptor* (*node_at)(size_t index);

    /* The credentials schema (draft-07 JSON Schema text) for credential_type; {NULL, 0} for a
     * type the plugin does not know. PLUGIN-OWNED, valid until deinit. Thread: [any thread],
     * between init and deinit. */
    wfp_str (*credentials_schema)(wfp_str credential_type);

    /* Starts a run. request: BORROWED. user_data: HOST-OWNED, passed back untouched to
     * on_complete (and on_progress); it must stay valid until on_complete has returned, even when
     * run_release was called before the run completed.
     * Returns WFP_OK, or:
     *   WFP_ERR_INVALID_ARGUMENT  request, on_complete or run is NULL, or request->struct_size
     *                             does not reach credentials_json
     *   WFP_ERR_NOT_INITIALIZED   before init or after deinit
     *   WFP_ERR_UNKNOWN_NODE      no node has request->node_id
     *   WFP_ERR_INTERNAL          the run could not be set up (out of memory)
     * On WFP_OK *run is set and on_complete will be called exactly once, later, on a plugin
     * thread, whatever happens after that (bad input, network failure, cancel, deinit): every
     * outcome arrives as an envelope. On any other return nothing was started, *run is untouched
     * and no callback is ever called. Thread: [any thread], between init and deinit. */
    int (*run_start)(const wfp_run_request* request, wfp_on_complete on_complete, void* user_data, wfp_run** run);

    /* Asks a run to stop: it completes promptly, as cancelled if it had not finished. Safe at
     * any time between run_start and run_release, any number of times, including from inside
     * the callback. Thread: [any thread]. */
    void (*run_cancel)(wfp_run* run);

    /* Gives the handle back. Exactly once per run, at any time after run_start returned,
     * including from inside the run's own callback. Releasing a run that has not completed
     * cancels it; its callback is still called exactly once (so user_data must live until then).
     * Thread: [any thread]. */
    void (*run_release)(wfp_run* run);

    /* Added in ABI 1.2. Runs a node on the calling thread and returns when it is over: input
     * checked, request sent, answer read, and on_complete called exactly once ON THIS THREAD
     * before run_here returns (on_progress, when given, also on this thread). Nothing is handed
     * to another thread, so a host that makes one call at a time pays no cross-thread wake. A
     * thread that calls run_here again gets the same warm connection. request and user_data:
     * as for run_start. The callbacks receive run == NULL (there is no handle: do not release
     * it). The run cannot be cancelled by the host; the credentials' timeout bounds it, and
     * deinit (from another thread) cancels it. Returns WFP_OK (on_complete has run), or the
     * codes of run_start, with nothing run and no callback called. Thread: [any thread],
     * between init and deinit, never from inside one of its own callbacks. A plugin of ABI 1.1
     * or older has no such field, and any plugin may leave it NULL: check that struct_size
     * reaches it and that it is not NULL, else use run_start. */
    int (*run_here)(const wfp_run_request* request, wfp_on_complete on_complete, void* user_data);

    /* Added in ABI 1.3. Runs several nodes on the calling thread, up to in_flight of them at
     * once, and returns when all are over: what run_here is for one call, for a host that keeps
     * several runs in flight from one thread (a workflow step over many items, a worker). The
     * runs start in order, the first in_flight at once, then one as each completes; they
     * complete in any order. requests: count pointers, each as for run_here; user_data: NULL
     * (every callback then gets NULL) or count pointers; both arrays and what they point at are
     * BORROWED until run_here_many returns. on_complete is called exactly once per request ON
     * THIS THREAD, with run == NULL and user_data[i]; on_progress likewise. No plugin thread
     * calls back and no answer is handed over between threads: at most in_flight connections
     * are in use, and never more per account than the plugin's own cap, which every run shares
     * (this plugin's: the credentials' max_connections). The runs
     * cannot be cancelled by the host; each is bounded by its credentials' timeout, and deinit
     * (from another thread) cancels them: those not yet started then complete as cancelled (or
     * with their input's error, which is checked first). deinit waits for run_here_many to
     * return, so its callbacks must not wait for the thread that calls deinit. Returns WFP_OK
     * (every on_complete has run; with count 0 nothing runs, the other arguments still
     * checked), or, checked in this order, with nothing run and no callback called:
     *   WFP_ERR_INVALID_ARGUMENT  requests or on_complete is NULL, in_flight is 0, or a request
     *                             is NULL or its struct_size does not cover credentials_json
     *   WFP_ERR_NOT_INITIALIZED   before init or after deinit
     *   WFP_ERR_UNKNOWN_NODE      a request's node_id names no node
     *   WFP_ERR_INTERNAL          the runs could not be set up (out of memory)
     * Thread: [any thread], between init and deinit, never from inside a callback of run_here
     * or run_here_many (the outer runs would stop meanwhile). Check that struct_size reaches it
     * and that it is not NULL, as for run_here. */
    int (*run_here_many)(const wfp_run_request* const* requests, size_t count, size_t in_flight,
                         wfp_on_complete on_complete, void* const* user_data);
} wfp_plugin_api;

/* The plugin's only export. Returns a pointer to a static table; never NULL.
 * Thread: [any thread], any time, including before init. */
typedef const wfp_plugin_api* (*wfp_get_entry_v1_fn)(void);
WFP_EXPORT const wfp_plugin_api* wfp_get_entry_v1(void);

#ifdef __cplusplus
}
#endif

#endif /* WFP_PLUGIN_H */
