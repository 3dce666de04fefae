// The "watch" strategy: the polling triggers (Watch Tickets, Watch Contacts). Each poll delivers
// the changes after the host's cursor, oldest first, and a new cursor. Freshdesk's updated_at has
// whole seconds and its list's since-filter is inclusive, so the cursor keeps the last second and
// the ids already seen in it (watch_cursor.hpp). docs/architecture.md, "Polling triggers", shows
// why every change is delivered exactly once.
//  - Ordered lists (tickets: order_by=updated_at asc) are read by keyset: each next request
//    starts at the last second seen, page 1, so records changing meanwhile cannot shift a page.
//    Only a second holding more than a page of changes needs page 2 and on; that second is read
//    again until two passes see the same records, before the cursor moves past it.
//  - Unordered lists (contacts: sorted by name) are read whole, again until two passes agree
//    when they span pages, then sorted by (updated_at, id) here.
// A second is delivered only once it is over by Freshdesk's clock (its Date header, less a
// second of margin): a record changed twice within one second keeps one updated_at, so a poll
// inside that second could not tell the second change from the first.
#include "core/timestamps.hpp"
#include "core/watch_cursor.hpp"
#include "freshdesk/list_paging.hpp"
#include "freshdesk/request_building.hpp"
#include "freshdesk/response_reading.hpp"
#include "freshdesk/strategies.hpp"
#include "transport/retry_policy.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::HttpRequest;
using transport::HttpResponse;

namespace {

constexpr std::int64_t kPageSize = 100;  // Freshdesk's largest
constexpr std::int64_t kMaxScanPages = 200;
constexpr int kMaxPasses = 5;

std::int64_t stamp(const json::value& item, std::string_view key) {
    const json::value* text = item.is_object() ? item.get_object().if_contains(key) : nullptr;
    const auto at = text && text->is_string() ? parse_rfc3339(text->get_string()) : std::nullopt;
    if (!at) throw MalformedAnswer("a record has no readable " + std::string(key));
    return *at;
}

std::int64_t id_of(const json::value& item) {
    const json::value* id = item.is_object() ? item.get_object().if_contains("id") : nullptr;
    if (!id || !id->is_int64()) throw MalformedAnswer("a record has no numeric id");
    return id->get_int64();
}

class WatchOperation final : public Operation {
  public:
    WatchOperation(const NodeMapping& mapping, json::object params)
        : watch_(mapping.watch), params_(std::move(params)) {
        max_items_ = std::max<std::int64_t>(1, int_param(params_, "MaxItems"));
        const json::value* event = params_.if_contains("Event");
        event_ = event && event->is_string() ? std::string(event->get_string()) : "created_or_updated";
        const json::value* cursor = params_.if_contains("Cursor");
        if (cursor && cursor->is_string() && !cursor->get_string().empty()) {
            decoded_ = decode_cursor(cursor->get_string());
            if (decoded_) start_ = *decoded_;
        } else if (const json::value* from = params_.if_contains("StartFrom")) {
            start_.time = *parse_rfc3339(from->as_string());
            decoded_ = start_;
        }
        cursor_ = start_;
    }

    HttpRequest first_request() override {
        if (!decoded_) return clock_request();
        return list_request(cursor_.time, 1);
    }

    Step on_success(const HttpResponse& response) override {
        if (!decoded_) return now_cursor(response);
        if (const auto date = transport::parse_http_date(response.header("Date"))) {
            horizon_ = std::chrono::duration_cast<std::chrono::seconds>(date->time_since_epoch()).count() - 1;
        }
        const json::array page = read_array(response);
        return watch_.ordered ? ordered_page(page) : scanned_page(page);
    }

    std::string subject() const override { return watch_.noun; }

    std::optional<ItemCount> items_read() const override { return ItemCount{items_.size(), -1}; }

  private:
    struct GroupPass {
        std::int64_t time = 0;
        std::int64_t page = 1;
        std::set<std::int64_t> seen;  // this pass
        std::optional<std::set<std::int64_t>> previous;
    };

    HttpRequest list_request(std::int64_t since, std::int64_t page) {
        boost::urls::url target(watch_.path);
        for (const auto& [key, value] : watch_.query_fixed)
            append_param(target, key, value.is_string() ? std::string(value.get_string()) : json::serialize(value));
        append_param(target, watch_.since_param, format_utc(since));
        append_param(target, "page", std::to_string(page));
        append_param(target, "per_page", std::to_string(kPageSize));
        request_time_ = since;
        request_page_ = page;
        return {"GET", std::string(target.buffer()), "", ""};
    }

    // The first poll without StartFrom starts "now", by Freshdesk's clock (its Date header).
    HttpRequest clock_request() { return {"GET", watch_.path + "?per_page=1", "", ""}; }

    Step now_cursor(const HttpResponse& response) {
        const auto date = transport::parse_http_date(response.header("Date"));
        const auto now = date.value_or(std::chrono::system_clock::now());
        cursor_.time = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
        return finish();
    }

    bool wanted(const json::value& item, std::int64_t updated) const {
        if (event_ == "created") return start_.before(stamp(item, "created_at"), id_of(item));
        if (event_ == "updated") return updated > stamp(item, "created_at");
        return true;
    }

    // Considers one record past the cursor; false once MaxItems are delivered (HasMore: poll
    // again at once), or at a second that is not over yet (the next scheduled poll takes it:
    // polling at once would only ask again until the second is over).
    bool take(const json::value& item, std::int64_t updated) {
        if (horizon_ && updated >= *horizon_) return false;
        if (std::ssize(items_) >= max_items_) {
            has_more_ = true;
            return false;
        }
        cursor_.pass(updated, id_of(item));
        if (wanted(item, updated)) items_.push_back(item);
        return true;
    }

    Step ordered_page(const json::array& page) {
        if (group_) return group_page(page);
        for (const json::value& item : page) {
            const std::int64_t updated = stamp(item, "updated_at");
            if (!cursor_.before(updated, id_of(item))) continue;
            if (!take(item, updated)) return finish();
        }
        if (std::ssize(page) < kPageSize) return finish();
        if (stamp(page.back(), "updated_at") > request_time_) return next(list_request(cursor_.time, 1));
        // A whole page within one second: that second is read in passes (see the top).
        group_ = GroupPass{request_time_, 1, {}, std::nullopt};
        for (const json::value& item : page)
            group_->seen.insert(id_of(item));
        group_->page = 2;
        return next(list_request(group_->time, 2));
    }

    Step group_page(const json::array& page) {
        GroupPass& group = *group_;
        bool past = false;
        for (const json::value& item : page) {
            const std::int64_t updated = stamp(item, "updated_at");
            if (updated > group.time) {
                past = true;
                break;
            }
            group.seen.insert(id_of(item));
            if (cursor_.before(updated, id_of(item)) && !take(item, updated)) return finish();
        }
        if (!past && std::ssize(page) == kPageSize) return next(list_request(group.time, ++group.page));
        const bool stable = group.previous && *group.previous == group.seen;
        if (!stable && ++passes_ < kMaxPasses) {
            group.previous = std::move(group.seen);
            group.seen.clear();
            group.page = 1;
            return next(list_request(group.time, 1));
        }
        // The second is complete: on to what follows it, from the page that reached past it.
        group_.reset();
        for (const json::value& item : page) {
            const std::int64_t updated = stamp(item, "updated_at");
            if (updated > cursor_.time || cursor_.before(updated, id_of(item))) {
                if (!take(item, updated)) return finish();
            }
        }
        if (std::ssize(page) < kPageSize) return finish();
        return next(list_request(cursor_.time, 1));
    }

    Step scanned_page(const json::array& page) {
        for (const json::value& item : page)
            pass_[id_of(item)] = item;
        if (std::ssize(page) == kPageSize) {
            if (request_page_ >= kMaxScanPages)
                throw MalformedAnswer("more than 20000 records changed since the cursor");
            return next(list_request(request_time_, request_page_ + 1));
        }
        // One page cannot shift under the reader; more pages are read again until two passes agree.
        if (request_page_ > 1 && !same_records(pass_, previous_pass_) && ++passes_ < kMaxPasses) {
            previous_pass_ = std::move(pass_);
            pass_.clear();
            return next(list_request(request_time_, 1));
        }
        std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, const json::value*>> ordered;
        for (const auto& [id, item] : pass_)
            ordered.push_back({{stamp(item, "updated_at"), id}, &item});
        std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [key, item] : ordered) {
            if (cursor_.before(key.first, key.second) && !take(*item, key.first)) break;
        }
        return finish();
    }

    static bool same_records(const std::map<std::int64_t, json::value>& a,
                             const std::map<std::int64_t, json::value>& b) {
        if (a.size() != b.size()) return false;
        for (const auto& [id, item] : a) {
            const auto other = b.find(id);
            if (other == b.end() || stamp(other->second, "updated_at") != stamp(item, "updated_at")) return false;
        }
        return true;
    }

    static Step next(HttpRequest request) { return Step::send(std::move(request)); }

    Step finish() {
        Step step;
        step.outputs["Items"] = std::move(items_);
        step.outputs["Cursor"] = encode_cursor(cursor_);
        step.outputs["HasMore"] = has_more_;
        return step;
    }

    const WatchMap& watch_;
    json::object params_;
    std::optional<WatchCursor> decoded_;  // nullopt: the first poll, which starts "now"
    WatchCursor start_;
    WatchCursor cursor_;
    std::string event_;
    std::int64_t max_items_ = 100;
    std::optional<std::int64_t> horizon_;  // the first second that may still change
    std::int64_t request_time_ = 0;
    std::int64_t request_page_ = 1;
    std::optional<GroupPass> group_;
    std::map<std::int64_t, json::value> pass_, previous_pass_;
    int passes_ = 0;
    json::array items_;
    bool has_more_ = false;
};

}  // namespace

std::unique_ptr<Operation> make_watch(const NodeSpec&, const NodeMapping& mapping, json::object params,
                                      const OperationContext&) {
    return std::make_unique<WatchOperation>(mapping, std::move(params));
}

}  // namespace fd::freshdesk
