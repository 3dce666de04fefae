// The plugin's C ABI contract, seen from a host that loads the .so with dlopen: the entry
// table and every status code the header names, the descriptors (ABI 1.0 and 1.1 fields) and
// their schemas, agreement with the plugin folder's package.json and schema files, the exported
// symbols, and the run lifecycle (exactly-once completion, release inside the callback, cancel
// at any time, deinit joins).
#include "plugin_folder.hpp"
#include "wfp_plugin.h"
#include "wfp_str.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

const fs::path kPluginDir = fdtest::plugin_dir();
const fs::path kSourceDir = FD_SOURCE_DIR;
const fs::path kMetaSchema = FD_DRAFT07_METASCHEMA;

// The node ids the folder's package.json lists.
const std::vector<std::string> kNodeIds = [] {
    std::vector<std::string> ids;
    for (const fdtest::NodeCase& node : fdtest::node_cases(false))
        ids.push_back(node.id);
    return ids;
}();

std::string text(wfp_str s) {
    return s.ptr ? std::string(s.ptr, s.len) : std::string();
}
using wfp::str;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

json::value read_json(const fs::path& path) {
    return json::parse(read_file(path));
}

// The library, loaded once per process as a host would.
const wfp_plugin_api& api() {
    static const wfp_plugin_api* table = [] {
        void* handle = ::dlopen(fdtest::plugin_library().c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) throw std::runtime_error(::dlerror());
        auto entry = reinterpret_cast<wfp_get_entry_v1_fn>(::dlsym(handle, WFP_ENTRY_SYMBOL));
        if (!entry) throw std::runtime_error("no entry");
        return entry();
    }();
    return *table;
}

wfp_host_api host_table() {
    wfp_host_api host{};
    host.struct_size = sizeof(wfp_host_api);
    host.abi_major = WFP_ABI_MAJOR;
    host.abi_minor = WFP_ABI_MINOR;
    return host;
}

std::size_t thread_count() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/task"))
        ++count;
    return count;
}

// Each test starts with an initialised plugin and deinitialises it at the end.
class Abi : public ::testing::Test {
  protected:
    void SetUp() override {
        const wfp_host_api host = host_table();
        ASSERT_EQ(api().init(&host, kPluginDir.c_str(), nullptr), WFP_OK);
    }
    void TearDown() override { api().deinit(); }
};

// Collects completions: how many times each run's callback fired, and on which thread.
struct Completions {
    std::mutex mutex;
    std::condition_variable changed;
    std::map<int, int> calls;
    std::map<int, std::string> envelopes;
    std::atomic<bool> called_on_caller_thread{false};
    std::thread::id caller = std::this_thread::get_id();
    bool release_inside = false;

    struct Ticket {
        Completions* owner;
        int index;
    };
    std::vector<std::unique_ptr<Ticket>> tickets;

    void* ticket(int index) {
        tickets.push_back(std::make_unique<Ticket>(Ticket{this, index}));
        return tickets.back().get();
    }

    static void on_complete(void* user_data, wfp_run* run, wfp_str envelope) {
        auto* t = static_cast<Ticket*>(user_data);
        Completions& self = *t->owner;
        if (std::this_thread::get_id() == self.caller) self.called_on_caller_thread = true;
        if (self.release_inside) api().run_release(run);
        std::lock_guard lock(self.mutex);
        ++self.calls[t->index];
        self.envelopes[t->index] = text(envelope);
        self.changed.notify_all();
    }

    bool wait_for(std::size_t runs) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(10), [&] { return calls.size() >= runs; });
    }
};

// Credentials for a server that is not there: valid, so runs get past validation, and the
// refused connection ends them quickly without touching any network.
const std::string kNowhere = R"({"api_key":"abi-test-key","base_url":"https://127.0.0.1:1","timeout_ms":150})";

wfp_run* start(const std::string& node, const std::string& input, Completions& completions, int index,
               const std::string& credentials = kNowhere) {
    wfp_run_request request{};
    request.struct_size = sizeof(request);
    request.node_id = str(node);
    request.input_json = str(input);
    request.credentials_json = str(credentials);
    wfp_run* run = nullptr;
    EXPECT_EQ(api().run_start(&request, &Completions::on_complete, completions.ticket(index), &run), WFP_OK);
    return run;
}

std::unique_ptr<valijson::Schema> compile(const json::value& schema) {
    auto compiled = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *compiled);
    return compiled;
}

bool conforms(const valijson::Schema& schema, const json::value& value, std::string* why = nullptr) {
    valijson::ValidationResults results;
    valijson::adapters::BoostJsonAdapter adapter(value);
    const bool ok = valijson::Validator().validate(schema, adapter, &results);
    valijson::ValidationResults::Error error;
    if (!ok && why && results.popError(error)) *why = error.description;
    return ok;
}

const wfp_node_descriptor* descriptor(const std::string& id) {
    for (std::size_t i = 0; i < api().node_count(); ++i) {
        if (text(api().node_at(i)->id) == id) return api().node_at(i);
    }
    return nullptr;
}

}  // namespace

TEST(AbiEntry, TableHeaderAndFunctions) {
    const wfp_plugin_api& table = api();
    EXPECT_GE(table.struct_size, sizeof(wfp_plugin_api));
    EXPECT_EQ(table.abi_major, WFP_ABI_MAJOR);
    EXPECT_EQ(table.abi_minor, WFP_ABI_MINOR);
    const json::value manifest = read_json(kSourceDir / "package.json");
    EXPECT_EQ(text(table.plugin_name), manifest.at("name").as_string());
    EXPECT_EQ(text(table.plugin_version), manifest.at("version").as_string());
    EXPECT_TRUE(table.init && table.deinit && table.node_count && table.node_at && table.credentials_schema &&
                table.run_start && table.run_cancel && table.run_release && table.run_here && table.run_here_many);
}

TEST(AbiEntry, AnOlderHostReadsTheHeaderPrefix) {
    // A host built against a table that had only the header reads exactly that prefix.
    struct HeaderOnly {
        uint32_t struct_size;
        uint16_t abi_major;
        uint16_t abi_minor;
    } prefix{};
    const wfp_plugin_api& table = api();
    std::memcpy(&prefix, &table, std::min<std::size_t>(table.struct_size, sizeof(prefix)));
    EXPECT_EQ(prefix.struct_size, table.struct_size);
    EXPECT_EQ(prefix.abi_major, WFP_ABI_MAJOR);
}

// Each code init returns, as the header states it.
TEST(AbiInit, ReturnsTheCodeTheHeaderStates) {
    wfp_str message{nullptr, 0};
    EXPECT_EQ(api().init(nullptr, kPluginDir.c_str(), &message), WFP_ERR_INVALID_ARGUMENT);
    EXPECT_FALSE(text(message).empty());
    wfp_host_api truncated = host_table();
    truncated.struct_size = offsetof(wfp_host_api, ca_bundle_file);
    EXPECT_EQ(api().init(&truncated, kPluginDir.c_str(), &message), WFP_ERR_INVALID_ARGUMENT);

    wfp_host_api newer = host_table();
    newer.abi_major = WFP_ABI_MAJOR + 1;
    EXPECT_EQ(api().init(&newer, kPluginDir.c_str(), &message), WFP_ERR_UNSUPPORTED_HOST);
    EXPECT_NE(text(message).find("ABI major"), std::string::npos) << text(message);
    EXPECT_EQ(api().node_count(), 0u);

    // A host of ABI 1.0 passes the 1.0 table (as big as today's): accepted; a plugin_dir of NULL too.
    wfp_host_api older = host_table();
    older.abi_minor = 0;
    ASSERT_EQ(api().init(&older, nullptr, &message), WFP_OK);
    EXPECT_EQ(api().node_count(), kNodeIds.size());
    EXPECT_EQ(api().init(&older, kPluginDir.c_str(), &message), WFP_ERR_ALREADY_INITIALIZED);
    EXPECT_NE(text(message).find("already"), std::string::npos) << text(message);
    api().deinit();
    api().deinit();  // idempotent
    EXPECT_EQ(api().node_count(), 0u);
}

// A plugin built with an inconsistent catalogue (a record whose answer goes to an output its
// schema lacks) cannot start: init says so with WFP_ERR_INTERNAL and names the node, and the
// plugin offers no nodes and starts no runs.
TEST(AbiInit, AnInconsistentCatalogueIsRefusedWithInternal) {
    void* handle = ::dlopen(FD_BROKEN_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle, nullptr) << ::dlerror();
    auto entry = reinterpret_cast<wfp_get_entry_v1_fn>(::dlsym(handle, WFP_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr);
    const wfp_plugin_api& broken = *entry();
    const wfp_host_api host = host_table();
    wfp_str message{nullptr, 0};
    EXPECT_EQ(broken.init(&host, nullptr, &message), WFP_ERR_INTERNAL);
    EXPECT_NE(text(message).find("freshdesk.company.get"), std::string::npos) << text(message);
    EXPECT_NE(text(message).find("nothing fills the output Company"), std::string::npos) << text(message);
    EXPECT_EQ(broken.node_count(), 0u);
    wfp_run_request request{};
    request.struct_size = sizeof(request);
    request.node_id = str(kNodeIds[0]);
    wfp_run* run = nullptr;
    EXPECT_EQ(broken.run_start(
                  &request, [](void*, wfp_run*, wfp_str) {}, nullptr, &run),
              WFP_ERR_NOT_INITIALIZED);
    EXPECT_EQ(run, nullptr);
    broken.deinit();
    ::dlclose(handle);
}

TEST(AbiInit, RunHereBeforeInitRunsNothing) {
    wfp_run_request request{};
    request.struct_size = sizeof(request);
    request.node_id = str(kNodeIds[0]);
    bool called = false;
    EXPECT_EQ(api().run_here(
                  &request, [](void* c, wfp_run*, wfp_str) { *static_cast<bool*>(c) = true; }, &called),
              WFP_ERR_NOT_INITIALIZED);
    EXPECT_FALSE(called);
}

TEST(AbiInit, RunHereManyBeforeInitRunsNothing) {
    wfp_run_request request{};
    request.struct_size = sizeof(request);
    request.node_id = str(kNodeIds[0]);
    const wfp_run_request* requests[] = {&request, &request};
    bool called = false;
    void* user_data[] = {&called, &called};
    EXPECT_EQ(api().run_here_many(
                  requests, 2, 2, [](void* c, wfp_run*, wfp_str) { *static_cast<bool*>(c) = true; }, user_data),
              WFP_ERR_NOT_INITIALIZED);
    EXPECT_FALSE(called);
}

TEST(AbiInit, RunStartBeforeInitStartsNothing) {
    Completions completions;
    wfp_run_request request{};
    request.struct_size = sizeof(request);
    request.node_id = str(kNodeIds[0]);
    wfp_run* run = nullptr;
    EXPECT_EQ(api().run_start(&request, &Completions::on_complete, completions.ticket(0), &run),
              WFP_ERR_NOT_INITIALIZED);
    EXPECT_EQ(run, nullptr);
}

TEST_F(Abi, CatalogueDescriptorsWithIdsFlagsAndTexts) {
    ASSERT_EQ(api().node_count(), kNodeIds.size());
    EXPECT_EQ(api().node_at(kNodeIds.size()), nullptr);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < api().node_count(); ++i) {
        const wfp_node_descriptor* node = api().node_at(i);
        ASSERT_NE(node, nullptr);
        EXPECT_GE(node->struct_size, sizeof(wfp_node_descriptor));
        EXPECT_EQ(node->version, 1u);
        for (wfp_str field : {node->id, node->display_name, node->description, node->resource, node->operation,
                              node->credential_type, node->inputs_schema, node->options_schema, node->outputs_schema}) {
            EXPECT_GT(field.len, 0u);
            EXPECT_EQ(field.ptr[field.len], '\0') << "descriptor strings are NUL-terminated";
        }
        const std::string id = text(node->id);
        ids.insert(id);
        EXPECT_FALSE((node->flags & WFP_NODE_DESTRUCTIVE) && (node->flags & WFP_NODE_READ_ONLY)) << id;
        if (id.ends_with(".delete")) {
            EXPECT_TRUE(node->flags & WFP_NODE_DESTRUCTIVE) << id;
        }
        if (id.ends_with(".get") || id.ends_with(".get_many")) {
            EXPECT_TRUE(node->flags & WFP_NODE_READ_ONLY) << id;
        }
        EXPECT_EQ(text(node->credential_type), "freshdesk.api_key");
        // ABI 1.1: what a canvas needs, each field a string (JSON ones parse).
        for (wfp_str field : {node->category, node->icon, node->subtitle}) {
            EXPECT_GT(field.len, 0u) << id;
            EXPECT_EQ(field.ptr[field.len], '\0') << id;
        }
        EXPECT_TRUE(fs::exists(kPluginDir / text(node->icon))) << text(node->icon);
        const json::value order = json::parse(text(node->field_order_json));
        const json::value inputs = json::parse(text(node->inputs_schema));
        const json::value options = json::parse(text(node->options_schema));
        EXPECT_EQ(order.as_array().size(),
                  inputs.at("properties").as_object().size() + options.at("properties").as_object().size());
        EXPECT_TRUE(json::parse(text(node->option_sources_json)).is_object()) << id;
        EXPECT_TRUE(json::parse(text(node->rules_json)).is_array()) << id;
    }
    EXPECT_EQ(ids, std::set<std::string>(kNodeIds.begin(), kNodeIds.end()));
    EXPECT_EQ(text(descriptor("freshdesk.ticket.create")->display_name), "Create a Ticket");
    EXPECT_EQ(text(descriptor("freshdesk.contact.get_many")->operation), "Get Many");
}

// A host compiled against ABI 1.0 reads the descriptor prefix it knows; the 1.1 fields it does
// not know follow, and the helper reads them only when struct_size reaches them.
TEST_F(Abi, OlderHostsReadTheDescriptorPrefix) {
    const wfp_node_descriptor* node = api().node_at(0);
    EXPECT_GE(node->struct_size, offsetof(wfp_node_descriptor, credential_test_node) + sizeof(wfp_str));
    wfp_node_descriptor v10 = *node;
    v10.struct_size = offsetof(wfp_node_descriptor, flags) + sizeof(uint32_t);
    EXPECT_EQ(wfp::descriptor_field(v10, &wfp_node_descriptor::icon).len, 0u);
    EXPECT_EQ(wfp::view(wfp::descriptor_field(*node, &wfp_node_descriptor::icon)), wfp::view(node->icon));
}

// An option source names an existing node whose outputs hold the list it points at.
TEST_F(Abi, OptionSourcesNameANodeAndItsList) {
    std::size_t sources = 0;
    for (std::size_t i = 0; i < api().node_count(); ++i) {
        const json::value declared = json::parse(text(api().node_at(i)->option_sources_json));
        for (const auto& [field, source] : declared.as_object()) {
            ++sources;
            const wfp_node_descriptor* list = descriptor(std::string(source.at("node").as_string()));
            ASSERT_NE(list, nullptr) << field;
            const std::string items(source.at("items").as_string());
            const json::value outputs = json::parse(text(list->outputs_schema));
            const std::string first = items.substr(0, items.find_first_of(".["));
            ASSERT_TRUE(outputs.at("properties").as_object().contains(first)) << field << " <- " << items;
            EXPECT_TRUE(source.as_object().contains("value") && source.as_object().contains("label")) << field;
        }
    }
    EXPECT_GT(sources, 0u);
}

TEST_F(Abi, EverySchemaIsValidDraft07) {
    const json::value meta = read_json(kMetaSchema);
    const auto meta_schema = compile(meta);
    // The meta-schema has teeth: it refuses what is not a draft-07 schema.
    EXPECT_FALSE(conforms(*meta_schema, json::parse(R"({"type":"nope"})")));
    EXPECT_FALSE(conforms(*meta_schema, json::parse(R"({"properties":{"a":{"minimum":"x"}}})")));
    auto check = [&](const std::string& label, const std::string& schema_text) {
        const json::value schema = json::parse(schema_text);
        std::string why;
        EXPECT_TRUE(conforms(*meta_schema, schema, &why)) << label << ": " << why;
        EXPECT_EQ(schema.at("$schema").as_string(), "http://json-schema.org/draft-07/schema#") << label;
        EXPECT_NO_THROW(compile(schema)) << label;
        EXPECT_EQ(schema_text.find("$ref"), std::string::npos) << label << " must stand alone";
    };
    for (std::size_t i = 0; i < api().node_count(); ++i) {
        const wfp_node_descriptor* node = api().node_at(i);
        check(text(node->id) + " inputs", text(node->inputs_schema));
        check(text(node->id) + " options", text(node->options_schema));
        check(text(node->id) + " outputs", text(node->outputs_schema));
    }
    check("credentials", text(api().credentials_schema(str("freshdesk.api_key"))));
    EXPECT_EQ(api().credentials_schema(str("other")).len, 0u);
    for (const auto& entry : fs::directory_iterator(kPluginDir / "schemas")) {
        std::string why;
        EXPECT_TRUE(conforms(*meta_schema, read_json(entry.path()), &why)) << entry.path() << ": " << why;
    }
    std::string why;
    EXPECT_TRUE(conforms(*meta_schema, read_json(kSourceDir / "nodes/common.schema.json"), &why)) << why;
}

// The labelled choice of an enum field: its integer branch's {"enum": [v], "title": t}.
std::vector<std::pair<std::int64_t, std::string>> labelled_choices(const json::value& field) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const json::value& choice : field.at_pointer("/else/oneOf").as_array())
        out.emplace_back(choice.at("enum").at(0).as_int64(), std::string(choice.at("title").as_string()));
    return out;
}

TEST_F(Abi, SchemasSayWhatTheSpecPromises) {
    const auto options = [](const std::string& id) {
        return json::parse(text(descriptor(id)->options_schema)).at("properties").as_object();
    };
    const json::object create = options("freshdesk.ticket.create");
    EXPECT_EQ(create.at("Priority").at("default"), 2);
    EXPECT_EQ(create.at("Status").at("default"), 2);
    const auto priorities = labelled_choices(create.at("Priority"));
    ASSERT_EQ(priorities.size(), 4u);
    EXPECT_EQ(priorities[0], (std::pair<std::int64_t, std::string>{1, "Low"}));
    EXPECT_EQ(priorities[3], (std::pair<std::int64_t, std::string>{4, "Urgent"}));
    const auto statuses = labelled_choices(create.at("Status"));
    ASSERT_EQ(statuses.size(), 4u);
    EXPECT_EQ(statuses[0], (std::pair<std::int64_t, std::string>{2, "Open"}));
    EXPECT_EQ(statuses[3], (std::pair<std::int64_t, std::string>{5, "Closed"}));

    const json::object tickets = options("freshdesk.ticket.get_many");
    EXPECT_EQ(tickets.at("PerPage").at("default"), 30);
    EXPECT_EQ(tickets.at("PerPage").at_pointer("/else/minimum"), 1);
    EXPECT_EQ(tickets.at("PerPage").at_pointer("/else/maximum"), 100);
    EXPECT_EQ(tickets.at("Page").at("default"), 1);
    EXPECT_EQ(tickets.at("UpdatedSince").at_pointer("/else/format"), "date-time");

    const auto pagination = [](const std::string& id) {
        const json::value outputs = json::parse(text(descriptor(id)->outputs_schema));
        std::set<std::string> keys;
        for (const auto& [key, value] : outputs.at_pointer("/properties/Pagination/properties").as_object()) {
            keys.insert(std::string(key));
        }
        return keys;
    };
    EXPECT_EQ(
        pagination("freshdesk.contact.get_many"),
        (std::set<std::string>{"current_page", "per_page", "total_count", "has_more", "pages_read", "limit_reached"}));
    EXPECT_EQ(pagination("freshdesk.ticket.get_many"),
              (std::set<std::string>{"current_page", "per_page", "returned_count", "has_next_page", "total_pages",
                                     "pages_read", "limit_reached"}));

    const json::value credentials = json::parse(text(api().credentials_schema(str("freshdesk.api_key"))));
    EXPECT_EQ(credentials.at_pointer("/properties/api_key/writeOnly"), true);
    for (const char* key : {"domain", "api_key", "base_url", "ca_file", "timeout_ms"}) {
        EXPECT_TRUE(credentials.at("properties").as_object().contains(key)) << key;
    }
}

// No served schema carries the plugin's own annotations or a reference to another document.
TEST_F(Abi, ServedSchemasHoldOnlyStandardKeywords) {
    for (std::size_t i = 0; i < api().node_count(); ++i) {
        const wfp_node_descriptor* node = api().node_at(i);
        for (wfp_str schema : {node->inputs_schema, node->options_schema, node->outputs_schema}) {
            EXPECT_EQ(text(schema).find("\"x-"), std::string::npos) << text(node->id);
            EXPECT_EQ(text(schema).find("$ref"), std::string::npos) << text(node->id);
        }
    }
}

// The folder's package.json says what the library says through the ABI, and records the
// library's size and SHA-256; the schema files hold the served texts.
TEST_F(Abi, LibraryManifestAndSchemaFilesAgree) {
    const json::object manifest = fdtest::plugin_manifest();
    const json::value source = read_json(kSourceDir / "package.json");
    EXPECT_EQ(manifest.at("name"), source.at("name"));
    EXPECT_EQ(manifest.at("version"), source.at("version"));
    const json::object& section = manifest.at("wfp").as_object();
    const fs::path library = kPluginDir / std::string(section.at("library").as_string());
    EXPECT_EQ(section.at("library"), source.at("wfp").at("library"));
    EXPECT_EQ(section.at("library_size").to_number<std::uint64_t>(), fs::file_size(library));
    EXPECT_EQ(section.at("library_sha256").as_string().size(), 64u);
    EXPECT_EQ(section.at("abi").at("major"), api().abi_major);
    EXPECT_EQ(section.at("abi").at("minor"), api().abi_minor);
    EXPECT_EQ(section.at("credential_type"), "freshdesk.api_key");
    EXPECT_EQ(read_json(kPluginDir / std::string(section.at("credentials_schema").as_string())),
              json::parse(text(api().credentials_schema(str("freshdesk.api_key")))));
    std::set<std::string> manifest_ids;
    for (const json::value& entry : section.at("nodes").as_array()) {
        const std::string id(entry.at("id").as_string());
        manifest_ids.insert(id);
        const wfp_node_descriptor* node = descriptor(id);
        ASSERT_NE(node, nullptr) << id;
        EXPECT_EQ(entry.at("version"), node->version);
        EXPECT_EQ(entry.at("display_name").as_string(), text(node->display_name));
        EXPECT_EQ(entry.at("description").as_string(), text(node->description));
        EXPECT_EQ(entry.at("category").as_string(), text(node->category));
        EXPECT_EQ(entry.at("icon").as_string(), text(node->icon));
        EXPECT_EQ(entry.at("rules"), json::parse(text(node->rules_json)));
        EXPECT_EQ(entry.at("option_sources"), json::parse(text(node->option_sources_json)));
        EXPECT_EQ(entry.at("field_order"), json::parse(text(node->field_order_json)));
        const std::pair<const char*, wfp_str> parts[] = {
            {"inputs", node->inputs_schema}, {"options", node->options_schema}, {"outputs", node->outputs_schema}};
        for (const auto& [part, schema_text] : parts) {
            EXPECT_EQ(read_json(kPluginDir / std::string(entry.at("schemas").at(part).as_string())),
                      json::parse(text(schema_text)))
                << id << " " << part;
        }
    }
    EXPECT_EQ(manifest_ids, std::set<std::string>(kNodeIds.begin(), kNodeIds.end()));
}

TEST(AbiExports, OnlyTheEntrySymbolIsExported) {
    const std::string command = "nm -D --defined-only " + fdtest::plugin_library();
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::vector<std::string> symbols;
    char line[4096];
    while (std::fgets(line, sizeof line, pipe)) {
        std::istringstream fields(line);
        std::string address, type, name;
        fields >> address >> type >> name;
        symbols.push_back(type + " " + name);
    }
    EXPECT_EQ(::pclose(pipe), 0);
    EXPECT_EQ(symbols, std::vector<std::string>{"T wfp_get_entry_v1"});
}

TEST_F(Abi, EveryRunCompletesExactlyOnceOffTheCallerThread) {
    Completions completions;
    const std::vector<std::pair<std::string, std::string>> runs = {
        {"freshdesk.ticket.get", R"({"TicketId":"abc"})"},
        {"freshdesk.ticket.get", R"({"TicketId":6})"},
        {"freshdesk.contact.create", "not json"},
        {"freshdesk.contact.get_many", "{}"},
    };
    std::vector<wfp_run*> handles;
    for (int round = 0; round < 50; ++round) {
        for (std::size_t i = 0; i < runs.size(); ++i) {
            handles.push_back(start(runs[i].first, runs[i].second, completions, round * 10 + static_cast<int>(i)));
        }
    }
    ASSERT_TRUE(completions.wait_for(handles.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // room for a second, wrong call
    {
        std::lock_guard lock(completions.mutex);
        for (const auto& [index, calls] : completions.calls)
            EXPECT_EQ(calls, 1) << index;
        EXPECT_EQ(completions.calls.size(), handles.size());
    }
    EXPECT_FALSE(completions.called_on_caller_thread);
    for (wfp_run* run : handles)
        api().run_release(run);
}

namespace {

// What a run_here or run_here_many callback saw: how often it was called, on which thread, the
// handle it got and the envelope. user_data is the Seen.
struct Seen {
    int calls = 0;
    std::thread::id thread;
    wfp_run* run = reinterpret_cast<wfp_run*>(1);
    std::string envelope;

    static void record(void* user_data, wfp_run* run, wfp_str envelope) {
        auto& s = *static_cast<Seen*>(user_data);
        ++s.calls;
        s.thread = std::this_thread::get_id();
        s.run = run;
        s.envelope = text(envelope);
    }
};

}  // namespace

// ABI 1.2 run_here: the whole run on the calling thread; on_complete (run == NULL) has run,
// exactly once, before it returns, whatever the outcome.
TEST_F(Abi, RunHereCompletesOnTheCallingThreadBeforeItReturns) {
    const auto here = [](const std::string& node, const std::string& input, Seen& seen) {
        wfp_run_request request{};
        request.struct_size = sizeof(request);
        request.node_id = str(node);
        request.input_json = str(input);
        request.credentials_json = str(kNowhere);
        return api().run_here(&request, &Seen::record, &seen);
    };
    Seen refused, unreachable, unknown;
    EXPECT_EQ(here("freshdesk.ticket.get", R"({"TicketId":"abc"})", refused), WFP_OK);
    EXPECT_EQ(here("freshdesk.ticket.get", R"({"TicketId":6})", unreachable), WFP_OK);
    for (const Seen* seen : {&refused, &unreachable}) {
        EXPECT_EQ(seen->calls, 1);
        EXPECT_EQ(seen->thread, std::this_thread::get_id());
        EXPECT_EQ(seen->run, nullptr);
    }
    EXPECT_EQ(json::parse(refused.envelope).at("StatusCode"), -1) << refused.envelope;
    EXPECT_EQ(json::parse(unreachable.envelope).at("StatusCode"), 500) << unreachable.envelope;

    EXPECT_EQ(here("freshdesk.nothing.here", "{}", unknown), WFP_ERR_UNKNOWN_NODE);
    EXPECT_EQ(unknown.calls, 0);
    EXPECT_EQ(api().run_here(
                  nullptr, [](void*, wfp_run*, wfp_str) {}, nullptr),
              WFP_ERR_INVALID_ARGUMENT);
    wfp_run_request request{};
    request.struct_size = sizeof(request);
    EXPECT_EQ(api().run_here(&request, nullptr, nullptr), WFP_ERR_INVALID_ARGUMENT);
}

// ABI 1.3 run_here_many: every run on the calling thread, each on_complete exactly once with its
// own user_data (run == NULL) before it returns, whatever each outcome.
TEST_F(Abi, RunHereManyCompletesEveryRunOnceOnTheCallingThread) {
    const std::string node = "freshdesk.ticket.get", refused = R"({"TicketId":"abc"})",
                      unreachable = R"({"TicketId":6})";
    constexpr std::size_t kRuns = 30;
    std::vector<wfp_run_request> requests(kRuns);
    std::vector<const wfp_run_request*> pointers;
    std::vector<Seen> seen(kRuns);
    std::vector<void*> user_data;
    for (std::size_t i = 0; i < kRuns; ++i) {
        requests[i].struct_size = sizeof(wfp_run_request);
        requests[i].node_id = str(node);
        requests[i].input_json = str(i % 3 == 0 ? refused : unreachable);
        requests[i].credentials_json = str(kNowhere);
        pointers.push_back(&requests[i]);
        user_data.push_back(&seen[i]);
    }
    const wfp_on_complete record = &Seen::record;
    ASSERT_EQ(api().run_here_many(pointers.data(), kRuns, 4, record, user_data.data()), WFP_OK);
    for (std::size_t i = 0; i < kRuns; ++i) {
        EXPECT_EQ(seen[i].calls, 1) << i;
        EXPECT_EQ(seen[i].thread, std::this_thread::get_id()) << i;
        EXPECT_EQ(seen[i].run, nullptr) << i;
        EXPECT_EQ(json::parse(seen[i].envelope).at("StatusCode"), i % 3 == 0 ? -1 : 500) << seen[i].envelope;
    }

    // No user_data: every callback gets NULL. No requests: nothing runs, WFP_OK.
    static std::atomic<int> null_user_data{0};
    null_user_data = 0;
    ASSERT_EQ(
        api().run_here_many(
            pointers.data(), 3, 8,
            [](void* user_data, wfp_run*, wfp_str) { null_user_data += user_data == nullptr ? 1 : 100; }, nullptr),
        WFP_OK);
    EXPECT_EQ(null_user_data, 3);
    EXPECT_EQ(api().run_here_many(pointers.data(), 0, 1, record, user_data.data()), WFP_OK);
}

// Every request is checked before any runs: an error return means no callback at all.
TEST_F(Abi, RunHereManyRefusesTheWholeBatchForOneBadRequest) {
    static std::atomic<int> calls{0};
    calls = 0;
    const wfp_on_complete count = [](void*, wfp_run*, wfp_str) { ++calls; };
    const std::string good_node = "freshdesk.ticket.get", bad_node = "freshdesk.ticket.nope";
    wfp_run_request good{}, unknown{}, short_one{};
    good.struct_size = sizeof(good);
    good.node_id = str(good_node);
    good.input_json = str(R"({"TicketId":"abc"})");
    unknown = good;
    unknown.node_id = str(bad_node);
    short_one = good;
    short_one.struct_size = offsetof(wfp_run_request, credentials_json);
    const wfp_run_request* with_unknown[] = {&good, &good, &unknown};
    const wfp_run_request* with_null[] = {&good, nullptr};
    const wfp_run_request* with_short[] = {&good, &short_one};
    const wfp_run_request* fine[] = {&good, &good};
    EXPECT_EQ(api().run_here_many(with_unknown, 3, 2, count, nullptr), WFP_ERR_UNKNOWN_NODE);
    EXPECT_EQ(api().run_here_many(with_null, 2, 2, count, nullptr), WFP_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(api().run_here_many(with_short, 2, 2, count, nullptr), WFP_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(api().run_here_many(fine, 2, 0, count, nullptr), WFP_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(api().run_here_many(fine, 2, 2, nullptr, nullptr), WFP_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(api().run_here_many(nullptr, 2, 2, count, nullptr), WFP_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(api().run_here_many(fine, 2, 2, count, nullptr), WFP_OK);
    EXPECT_EQ(calls, 2);
}

// The nodes are found before anything runs: a host that renames a later request's node from
// inside a callback gets that request run as the node it named when it called, not a crash.
TEST_F(Abi, RunHereManyFindsEveryNodeBeforeItRuns) {
    struct Host {
        wfp_run_request requests[3];
        std::vector<std::string> envelopes;
    } host{};
    const std::string node = "freshdesk.ticket.get", renamed = "freshdesk.nothing.here";
    for (wfp_run_request& request : host.requests) {
        request.struct_size = sizeof(request);
        request.node_id = str(node);
        request.input_json = str(R"({"TicketId":"abc"})");
    }
    const wfp_run_request* pointers[] = {&host.requests[0], &host.requests[1], &host.requests[2]};
    void* user_data[] = {&host, &host, &host};
    ASSERT_EQ(api().run_here_many(
                  pointers, 3, 1,
                  [](void* user_data, wfp_run*, wfp_str envelope) {
                      auto& h = *static_cast<Host*>(user_data);
                      h.envelopes.push_back(text(envelope));
                      h.requests[2].node_id = wfp_str{"freshdesk.nothing.here", 22};
                  },
                  user_data),
              WFP_OK);
    ASSERT_EQ(host.envelopes.size(), 3u);
    for (const std::string& envelope : host.envelopes)
        EXPECT_EQ(json::parse(envelope).at("StatusCode"), -1) << envelope;
    EXPECT_EQ(renamed.size(), 22u);
}

TEST_F(Abi, UnknownNodeOrMissingArgumentsStartNothing) {
    Completions completions;
    wfp_run_request request{};
    request.struct_size = sizeof(request);
    const std::string unknown = "freshdesk.ticket.nope";  // outlives the request that points at it
    request.node_id = str(unknown);
    wfp_run* run = nullptr;
    EXPECT_EQ(api().run_start(&request, &Completions::on_complete, completions.ticket(0), &run), WFP_ERR_UNKNOWN_NODE);
    EXPECT_EQ(api().run_start(nullptr, &Completions::on_complete, nullptr, &run), WFP_ERR_INVALID_ARGUMENT);
    request.node_id = str(kNodeIds[0]);
    EXPECT_EQ(api().run_start(&request, nullptr, nullptr, &run), WFP_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(api().run_start(&request, &Completions::on_complete, nullptr, nullptr), WFP_ERR_INVALID_ARGUMENT);
    request.struct_size = offsetof(wfp_run_request, credentials_json);  // too small to hold the credentials
    EXPECT_EQ(api().run_start(&request, &Completions::on_complete, nullptr, &run), WFP_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(run, nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(completions.calls.empty());
}

TEST_F(Abi, ReleaseInsideTheCallback) {
    Completions completions;
    completions.release_inside = true;
    for (int i = 0; i < 100; ++i)
        start("freshdesk.ticket.get", R"({"TicketId":"x"})", completions, i);
    ASSERT_TRUE(completions.wait_for(100));
}

TEST_F(Abi, CancelIsSafeAtAnyTime) {
    Completions completions;
    std::vector<wfp_run*> handles;
    for (int i = 0; i < 100; ++i) {
        wfp_run* run = start("freshdesk.ticket.get", R"({"TicketId":6})", completions, i);
        api().run_cancel(run);  // right away
        api().run_cancel(run);  // twice
        handles.push_back(run);
    }
    ASSERT_TRUE(completions.wait_for(100));
    for (wfp_run* run : handles)
        api().run_cancel(run);  // after completion
    for (wfp_run* run : handles)
        api().run_release(run);
    std::lock_guard lock(completions.mutex);
    for (const auto& [index, envelope] : completions.envelopes) {
        EXPECT_EQ(json::parse(envelope).at("StatusCode"), 500) << envelope;
        EXPECT_NE(envelope.find("cancelled"), std::string::npos) << envelope;
    }
}

TEST_F(Abi, CredentialsAreCheckedBeforeAnyIo) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{}", "api_key"},
        {R"({"api_key":"k"})", "domain"},
        {R"({"api_key":"k","domain":"acme.example.com"})", "domain"},
        {R"({"api_key":"k","domain":"acme/x"})", "domain"},
        {R"({"api_key":"k","base_url":"http://127.0.0.1:1"})", "https"},
        {R"({"api_key":"k","base_url":"https://user:pw@127.0.0.1:1"})", "base_url"},
        {R"({"api_key":"k","domain":"acme","timeout_ms":0})", "timeout_ms"},
        {R"({"api_key":"k","domain":"acme","ca_file":"/nonexistent.pem"})", "ca_file"},
        {R"({"api_key":"k y","domain":"acme"})", "api_key"},
        {"not json", "JSON"},
    };
    Completions completions;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        api().run_release(
            start("freshdesk.ticket.get", R"({"TicketId":6})", completions, static_cast<int>(i), cases[i].first));
    }
    ASSERT_TRUE(completions.wait_for(cases.size()));
    std::lock_guard lock(completions.mutex);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const json::value envelope = json::parse(completions.envelopes[static_cast<int>(i)]);
        EXPECT_EQ(envelope.at("StatusCode"), -1) << cases[i].first;
        const std::string message(envelope.at("ErrorMessage").as_string());
        EXPECT_NE(message.find(cases[i].second), std::string::npos) << cases[i].first << " -> " << message;
        EXPECT_EQ(message.find("y\""), std::string::npos) << "never echo the key";
    }
}

TEST_F(Abi, ReleaseBeforeCompletionStillCompletesOnce) {
    Completions completions;
    for (int i = 0; i < 100; ++i)
        api().run_release(start("freshdesk.contact.get_many", "{}", completions, i));
    ASSERT_TRUE(completions.wait_for(100));
    std::lock_guard lock(completions.mutex);
    for (const auto& [index, calls] : completions.calls)
        EXPECT_EQ(calls, 1);
}

TEST(AbiDeinit, CompletesRunsInFlightAndJoinsItsThreads) {
    // ThreadSanitizer starts its own background thread at the process's first pthread_create:
    // let that happen before counting, so only the plugin's threads are compared.
    std::thread([] {}).join();
    const std::size_t before = thread_count();
    const wfp_host_api host = host_table();
    ASSERT_EQ(api().init(&host, kPluginDir.c_str(), nullptr), WFP_OK);
    EXPECT_GT(thread_count(), before) << "the plugin runs its own threads";
    Completions completions;
    std::vector<wfp_run*> handles;
    for (int i = 0; i < 200; ++i)
        handles.push_back(start("freshdesk.ticket.get", R"({"TicketId":6})", completions, i));
    api().deinit();
    {
        std::lock_guard lock(completions.mutex);
        EXPECT_EQ(completions.calls.size(), handles.size()) << "every run completed before deinit returned";
    }
    EXPECT_EQ(thread_count(), before) << "deinit joined every plugin thread";
    // The plugin can be started again.
    ASSERT_EQ(api().init(&host, kPluginDir.c_str(), nullptr), WFP_OK);
    EXPECT_EQ(api().node_count(), kNodeIds.size());
    api().deinit();
}

// Per node: inputs the schema refuses give StatusCode -1, OriginalStatusCode 0 and a message
// naming the field; every envelope carries every output key with its declared type.
struct InputCase {
    std::string node;
    std::string input;
    std::string field_named;  // "" when the input is valid

    friend void PrintTo(const InputCase& c, std::ostream* out) { *out << c.node << " " << c.input; }
};

class NodeInput : public Abi, public ::testing::WithParamInterface<InputCase> {};

TEST_P(NodeInput, GivesTheDocumentedEnvelope) {
    const InputCase& c = GetParam();
    Completions completions;
    wfp_run* run = start(c.node, c.input, completions, 0);
    ASSERT_TRUE(completions.wait_for(1));
    api().run_release(run);
    const json::value envelope = json::parse(completions.envelopes[0]);
    const json::value outputs = json::parse(text(descriptor(c.node)->outputs_schema));
    std::string why;
    EXPECT_TRUE(conforms(*compile(outputs), envelope, &why)) << completions.envelopes[0] << ": " << why;
    std::vector<std::string> keys;
    for (const auto& [key, value] : envelope.as_object())
        keys.emplace_back(key);
    std::vector<std::string> declared;
    for (const auto& [key, value] : outputs.at("properties").as_object())
        declared.emplace_back(key);
    EXPECT_EQ(keys, declared) << "every output key, in the schema's order";
    const std::string message(envelope.at("ErrorMessage").as_string());
    if (c.field_named.empty()) {
        // Valid: it went for the network (here refused) instead of being refused itself.
        EXPECT_EQ(envelope.at("StatusCode"), 500) << message;
        EXPECT_NE(message.find("127.0.0.1:1"), std::string::npos) << message;
    } else {
        EXPECT_EQ(envelope.at("StatusCode"), -1);
        EXPECT_EQ(envelope.at("OriginalStatusCode"), 0);
        EXPECT_NE(message.find(c.field_named), std::string::npos) << message;
    }
}

INSTANTIATE_TEST_SUITE_P(
    AllNodes, NodeInput,
    ::testing::Values(
        InputCase{"freshdesk.contact.create", R"({"Name":"Ann","Email":"ann@example.com"})", ""},
        InputCase{"freshdesk.contact.create", R"({"Name":"Ann","TwitterId":"@ann"})", ""},
        InputCase{"freshdesk.contact.create", R"({"Email":"ann@example.com"})", "Name"},
        InputCase{"freshdesk.contact.create", R"({"Name":"Ann"})",
                  "at least one of Email, Phone, Mobile, TwitterId or UniqueExternalId"},
        InputCase{"freshdesk.contact.create", R"({"Name":"Ann","Email":"not-an-email"})", "Email"},
        InputCase{"freshdesk.contact.create", R"({"Name":"Ann","Phone":"1","Nickname":"x"})", "Nickname"},
        InputCase{"freshdesk.contact.create", R"({"Name":")" + std::string(300, 'a') + R"(","Phone":"1"})", "Name"},
        InputCase{"freshdesk.contact.delete", R"({"ContactId":"123456789"})", ""},
        InputCase{"freshdesk.contact.delete", R"({"ContactId":"12a"})", "ContactId"},
        InputCase{"freshdesk.contact.delete", R"({})", "ContactId"},
        InputCase{"freshdesk.contact.get", R"({"ContactId":42})", ""},
        InputCase{"freshdesk.contact.get", R"({"ContactId":-4})", "ContactId"},
        InputCase{"freshdesk.contact.get", R"({"ContactId":"../tickets"})", "ContactId"},
        InputCase{"freshdesk.contact.get_many", R"({})", ""},
        InputCase{"freshdesk.contact.get_many", R"({"Page":2,"PerPage":100})", ""},
        InputCase{"freshdesk.contact.get_many", R"({"PerPage":0})", "PerPage"},
        InputCase{"freshdesk.contact.get_many", R"({"PerPage":101})", "PerPage"},
        InputCase{"freshdesk.contact.get_many", R"({"Page":0})", "Page"},
        InputCase{"freshdesk.contact.update", R"({"ContactId":"7","Address":"1 Main St"})", ""},
        InputCase{"freshdesk.contact.update", R"({"ContactId":"7"})", "at least one field"},
        InputCase{"freshdesk.contact.update", R"({"ContactId":"7","Name":"","Email":null})", "at least one field"},
        InputCase{"freshdesk.contact.update", R"({"ContactId":"9223372036854775808","Name":"x"})", "ContactId"},
        InputCase{"freshdesk.ticket.create", R"({"Subject":"s","Description":"d","Email":"a@example.com"})", ""},
        InputCase{"freshdesk.ticket.create",
                  R"({"Subject":"s","Description":"d","Email":"a@example.com","Priority":4,"Status":5})", ""},
        InputCase{"freshdesk.ticket.create", R"({"Subject":"s","Description":"d"})", "Email"},
        InputCase{"freshdesk.ticket.create",
                  R"({"Subject":"s","Description":"d","Email":"a@example.com","Priority":5})", "Priority"},
        InputCase{"freshdesk.ticket.create",
                  R"({"Subject":"s","Description":"d","Email":"a@example.com","Status":"2"})", ""},
        InputCase{"freshdesk.ticket.create",
                  R"({"Subject":"a\r\nX-Injected: 1","Description":"d","Email":"a@example.com"})", "Subject"},
        InputCase{"freshdesk.ticket.delete", R"({"TicketId":"6"})", ""},
        InputCase{"freshdesk.ticket.delete", R"({"TicketId":"6?force=true"})", "TicketId"},
        InputCase{"freshdesk.ticket.get", R"({"TicketId":158003421681})", ""},
        InputCase{"freshdesk.ticket.get", R"({"TicketId":"abc"})", "TicketId"},
        InputCase{"freshdesk.ticket.get", R"({"TicketId":6.5})", "TicketId"},
        InputCase{"freshdesk.ticket.get", R"([1,2])", "TicketId"}, InputCase{"freshdesk.ticket.get_many", R"({})", ""},
        InputCase{"freshdesk.ticket.get_many",
                  R"({"Status":2,"Priority":3,"Page":2,"PerPage":50,"UpdatedSince":"2025-01-01T08:00:00+08:00"})", ""},
        InputCase{"freshdesk.ticket.get_many", R"({"Status":"","Priority":null})", ""},
        InputCase{"freshdesk.ticket.get_many", R"({"UpdatedSince":"yesterday"})", "UpdatedSince"},
        InputCase{"freshdesk.ticket.get_many", R"({"Status":1})", "Status"},
        InputCase{"freshdesk.ticket.get_many", R"({"PerPage":1000})", "PerPage"},
        InputCase{"freshdesk.ticket.update", R"({"TicketId":6,"Status":4})", ""},
        InputCase{"freshdesk.ticket.update", R"({"TicketId":6,"AdditionalFields":{"tags":["billing"]}})", ""},
        InputCase{"freshdesk.ticket.update", R"({"TicketId":6,"Subject":"","AdditionalFields":{}})",
                  "at least one field"},
        InputCase{"freshdesk.ticket.update", R"({"TicketId":6,"AdditionalFields":[1]})", "AdditionalFields"},
        InputCase{"freshdesk.ticket.update", R"({"TicketId":6,"Subject":"nul\u0000here"})", "Subject"},
        // Blank means "not given" for optional fields, and is refused for required ones.
        InputCase{"freshdesk.contact.update", R"({"ContactId":"7","Name":"   ","Phone":"\t"})", "at least one field"},
        InputCase{"freshdesk.contact.update", R"({"ContactId":"7","TwitterId":"@"})", "TwitterId"},
        InputCase{"freshdesk.contact.create", R"({"Name":"   ","Email":"a@example.com"})", "Name"},
        InputCase{"freshdesk.contact.create", R"({"Name":"Ann","TwitterId":"@"})", "TwitterId"},
        InputCase{"freshdesk.contact.create", R"({"Name":"Ann","TwitterId":"ann smith"})", "TwitterId"},
        InputCase{"freshdesk.ticket.create", R"({"Subject":"  ","Description":"d","Email":"a@example.com"})",
                  "Subject"},
        // 10.0 is an integer to JSON Schema; 6.5 is not (above).
        InputCase{"freshdesk.contact.get", R"({"ContactId":47000000001.0})", ""},
        InputCase{"freshdesk.contact.get_many", R"({"PerPage":10.0,"Page":2.0})", ""},
        InputCase{"freshdesk.ticket.get", R"({"TicketId":"99999999999999999999"})", "TicketId"},
        // Numbers and booleans as people send them: text of digits, "true"; ids with spaces around.
        InputCase{"freshdesk.ticket.get_many", R"({"Status":"3","Priority":" 4 ","Page":"2","PerPage":"050"})", ""},
        InputCase{"freshdesk.ticket.get_many", R"({"ReturnAll":"true","MaxItems":"20"})", ""},
        InputCase{"freshdesk.ticket.get_many", R"({"ReturnAll":"yes"})", "ReturnAll"},
        InputCase{"freshdesk.ticket.get_many", R"({"PerPage":"101"})", "PerPage"},
        InputCase{"freshdesk.ticket.get", R"({"TicketId":" 6 "})", ""},
        InputCase{"freshdesk.ticket.get", R"({"TicketId":"0"})", "positive integer"},
        InputCase{"freshdesk.ticket.get", R"({"TicketId":"6 7"})", "TicketId"},
        InputCase{"freshdesk.ticket.create", R"({"Subject":"s","Description":"d","Email":" a@example.com "})", ""},
        // Rules no schema keyword states.
        InputCase{"freshdesk.ticket.create",
                  R"({"Subject":"s","Description":"d","Email":"a@example.com","DueBy":"2025-01-20T00:00:00Z"})",
                  "DueBy and FrDueBy go together"},
        InputCase{
            "freshdesk.ticket.create",
            R"({"Subject":"s","Description":"d","Email":"a@example.com","DueBy":"2025-01-20T00:00:00Z","FrDueBy":"2025-01-21T00:00:00Z"})",
            "earlier than DueBy"},
        InputCase{
            "freshdesk.ticket.create",
            R"({"Subject":"s","Description":"d","Email":"a@example.com","DueBy":"2025-02-29T00:00:00Z","FrDueBy":"2025-02-28T00:00:00Z"})",
            "DueBy"}),
    [](const ::testing::TestParamInfo<InputCase>& info) {
        std::string name = info.param.node.substr(std::string("freshdesk.").size()) + "_" + std::to_string(info.index);
        std::replace(name.begin(), name.end(), '.', '_');
        return name;
    });
