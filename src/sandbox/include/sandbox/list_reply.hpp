// One page of an ordered list as Freshdesk answers it: a JSON array of the page's items, and a
// Link header to the next page when more items follow (docs/freshdesk.md, "Pagination").
#pragma once

#include "sandbox/api_reply.hpp"
#include "sandbox/query_params.hpp"
#include "sandbox/resource_request.hpp"

#include <boost/json/array.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fdsandbox {

// `max_page` (0: none) also bounds the Link: no link points past it.
template <class Item, class ToJson>
Reply list_reply(const std::vector<Item>& ordered, const Page& page, const ResourceRequest& request, ToJson to_json,
                 std::int64_t max_page = 0) {
    const std::size_t first = static_cast<std::size_t>((page.page - 1) * page.per_page);
    const std::size_t end = first + static_cast<std::size_t>(page.per_page);
    boost::json::array items;
    for (std::size_t i = first; i < ordered.size() && i < end; ++i)
        items.push_back(to_json(ordered[i]));
    Reply reply = json_reply(200, items);
    if (end < ordered.size() && (max_page == 0 || page.page < max_page))
        reply.headers.emplace_back("Link", next_page_link(request.host, request.path, request.query, page.page + 1));
    return reply;
}

// invalid_field for each query parameter outside `allowed`; true when there was none.
bool check_query_keys(const QueryParams& query, std::initializer_list<std::string_view> allowed,
                      ValidationErrors& errors);

}  // namespace fdsandbox
