// The control channel's JSON API, mirroring Sandbox's control methods for peers outside the
// process (served by control_server on a separate loopback port, never on the API port):
//
//   GET    /control                 {"base_url","ca_file","api_key","domain","control_url"}
//   GET    /control/counters        {"requests","connections_accepted","tls_handshakes",
//                                     "bytes_received","bytes_sent"}
//   GET    /control/requests        [{"method","target","path","query","headers":[[name,value]...],
//                                     "body","connection_id"}...]; ?since=N skips the first N
//   DELETE /control/requests        empties the request log                              204
//   POST   /control/faults          a fault object, or an array of them               201
//   {"pending":N}
//          {"kind":"status","count":1,"path_prefix":"","method":"","status":503,"body":"",
//           "delay_ms":0,"chunk_bytes":1,"size_bytes":0,"retry_after_seconds":1,"location":"",
//           "process_request":null|true|false}   (all but kind optional)
//   GET    /control/faults          {"pending":N}
//   DELETE /control/faults          clears them                                          204
//   POST   /control/reset           data, ids, counters, request log, faults, rate window 204
//   POST   /control/seed            {"contacts":N,"tickets":N,"seed":1,"days_back":90,
//                                    "statuses":[2,3,4,5],"priorities":[1,2,3,4]}        204
//   PUT    /control/rate_limit      {"budget":N,"window_seconds":S}                       204
//   POST   /control/shutdown        asks `flowrun sandbox` to stop                        202
//
// Errors: 400 {"error":"..."} (bad JSON or field), 404 unknown path, 405 wrong verb.
#pragma once

#include "sandbox/http_types.hpp"
#include "sandbox/sandbox.hpp"

namespace fdsandbox {

HttpResponse handle_control_request(Sandbox& sandbox, const HttpRequest& request);

}  // namespace fdsandbox
