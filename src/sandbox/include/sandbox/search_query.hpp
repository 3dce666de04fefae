// The search query language of /api/v2/search/* (docs/freshdesk.md, "Query grammar (tokenizer of the 2020 server)"),
// parsed into a tree:
//   expression := term ( (AND | OR) term )*      AND binds tighter than OR; case-insensitive
//   term       := '(' expression ')' | field ':' [ '>' | '<' ] value
//   value      := integer | 'single-quoted string' | null | true | false
// A space is mandatory between a field:value pair and an operator. Which fields exist and
// what their values mean is the caller's business (search.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

struct SearchValue {
    enum class Kind { integer, text, null, boolean };
    Kind kind = Kind::null;
    std::int64_t integer = 0;
    std::string text;
    bool boolean = false;
};

struct SearchCondition {
    enum class Comparison { equal, at_least, at_most };  // ':'  ':>'  ':<'
    std::string field;
    Comparison comparison = Comparison::equal;
    SearchValue value;
};

struct SearchNode {
    enum class Kind { condition, all_of, any_of };
    Kind kind = Kind::condition;
    SearchCondition condition;         // kind == condition
    std::vector<SearchNode> children;  // all_of (AND) / any_of (OR)
};

// `inner` is the text between the double quotes. nullopt when it breaks the grammar.
std::optional<SearchNode> parse_search_query(std::string_view inner);

// Every condition of the tree, in query order.
void collect_conditions(const SearchNode& node, std::vector<const SearchCondition*>& out);

}  // namespace fdsandbox
