#include "sandbox/search_query.hpp"

#include "sandbox/http_types.hpp"
#include "sandbox/query_params.hpp"

#include <cctype>

namespace fdsandbox {
namespace {

struct Token {
    enum class Kind { open, close, and_, or_, pair };
    Kind kind;
    SearchCondition pair;
};

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// A pair's value at `at`: 'quoted text', null, true/false or an integer; `at` moves past it.
bool read_value(std::string_view text, std::size_t& at, SearchValue& value) {
    if (at < text.size() && text[at] == '\'') {
        const std::size_t close = text.find('\'', at + 1);
        if (close == std::string_view::npos) return false;
        value.kind = SearchValue::Kind::text;
        value.text = std::string(text.substr(at + 1, close - at - 1));
        at = close + 1;
        return true;
    }
    const std::size_t start = at;
    while (at < text.size() && !is_space(text[at]) && text[at] != ')')
        ++at;
    const std::string_view raw = text.substr(start, at - start);
    if (iequals(raw, "null")) {
        value.kind = SearchValue::Kind::null;
    } else if (iequals(raw, "true") || iequals(raw, "false")) {
        value.kind = SearchValue::Kind::boolean;
        value.boolean = iequals(raw, "true");
    } else if (const std::optional<std::int64_t> number = parse_integer(raw)) {
        value.kind = SearchValue::Kind::integer;
        value.integer = *number;
    } else {
        return false;
    }
    return true;
}

std::optional<std::vector<Token>> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t at = 0;
    while (at < text.size()) {
        const char c = text[at];
        if (is_space(c)) {
            ++at;
        } else if (c == '(' || c == ')') {
            tokens.push_back({c == '(' ? Token::Kind::open : Token::Kind::close, {}});
            ++at;
        } else if (is_name_char(c)) {
            const std::size_t start = at;
            while (at < text.size() && is_name_char(text[at]))
                ++at;
            const std::string_view word = text.substr(start, at - start);
            if (at >= text.size() || text[at] != ':') {
                if (iequals(word, "AND"))
                    tokens.push_back({Token::Kind::and_, {}});
                else if (iequals(word, "OR"))
                    tokens.push_back({Token::Kind::or_, {}});
                else
                    return std::nullopt;
                // An operator stands between spaces (or a parenthesis).
                if (at < text.size() && !is_space(text[at]) && text[at] != '(') return std::nullopt;
                continue;
            }
            ++at;  // ':'
            SearchCondition pair;
            pair.field = std::string(word);
            if (at < text.size() && (text[at] == '>' || text[at] == '<')) {
                pair.comparison =
                    text[at] == '>' ? SearchCondition::Comparison::at_least : SearchCondition::Comparison::at_most;
                ++at;
            }
            if (!read_value(text, at, pair.value)) return std::nullopt;
            // A space (or a closing parenthesis) is mandatory after a pair.
            if (at < text.size() && !is_space(text[at]) && text[at] != ')') return std::nullopt;
            tokens.push_back({Token::Kind::pair, std::move(pair)});
        } else {
            return std::nullopt;
        }
    }
    return tokens;
}

class Parser {
  public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    std::optional<SearchNode> parse_all() {
        std::optional<SearchNode> tree = parse_or(0);
        if (!tree || at_ != tokens_.size()) return std::nullopt;
        return tree;
    }

  private:
    static constexpr int kMaxDepth = 64;

    bool next_is(Token::Kind kind) const { return at_ < tokens_.size() && tokens_[at_].kind == kind; }

    std::optional<SearchNode> parse_binary(int depth, Token::Kind op, SearchNode::Kind kind, bool or_level) {
        std::optional<SearchNode> first =
            or_level ? parse_binary(depth, Token::Kind::and_, SearchNode::Kind::all_of, false) : parse_term(depth);
        if (!first || !next_is(op)) return first;
        SearchNode node;
        node.kind = kind;
        node.children.push_back(std::move(*first));
        while (next_is(op)) {
            ++at_;
            std::optional<SearchNode> next =
                or_level ? parse_binary(depth, Token::Kind::and_, SearchNode::Kind::all_of, false) : parse_term(depth);
            if (!next) return std::nullopt;
            node.children.push_back(std::move(*next));
        }
        return node;
    }

    std::optional<SearchNode> parse_or(int depth) {
        return parse_binary(depth, Token::Kind::or_, SearchNode::Kind::any_of, true);
    }

    std::optional<SearchNode> parse_term(int depth) {
        if (depth > kMaxDepth || at_ >= tokens_.size()) return std::nullopt;
        if (next_is(Token::Kind::open)) {
            ++at_;
            std::optional<SearchNode> inner = parse_or(depth + 1);
            if (!inner || !next_is(Token::Kind::close)) return std::nullopt;
            ++at_;
            return inner;
        }
        if (!next_is(Token::Kind::pair)) return std::nullopt;
        SearchNode node;
        node.condition = std::move(tokens_[at_++].pair);
        return node;
    }

    std::vector<Token> tokens_;
    std::size_t at_ = 0;
};

}  // namespace

std::optional<SearchNode> parse_search_query(std::string_view inner) {
    std::optional<std::vector<Token>> tokens = tokenize(inner);
    if (!tokens || tokens->empty()) return std::nullopt;
    return Parser(std::move(*tokens)).parse_all();
}

void collect_conditions(const SearchNode& node, std::vector<const SearchCondition*>& out) {
    if (node.kind == SearchNode::Kind::condition) {
        out.push_back(&node.condition);
        return;
    }
    for (const SearchNode& child : node.children)
        collect_conditions(child, out);
}

}  // namespace fdsandbox
