// return_all_bench: Get Many Contacts with Return All over 10,000 sandbox contacts, through the
// C ABI: pages read per second, and the peak resident memory for each MaxItems (the node keeps
// at most MaxItems records, whatever the account holds). One JSON line per MaxItems.
//   return_all_bench [--contacts N] [--plugin-dir DIR]
#include "sandbox/sandbox.hpp"
#include "wfp_host.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

namespace {
namespace json = boost::json;

// The process's resident memory now and at its peak, in KiB (/proc/self/status).
std::pair<long, long> resident_kib() {
    std::ifstream status("/proc/self/status");
    long now = 0, peak = 0;
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmRSS:")) now = std::stol(line.substr(6));
        if (line.starts_with("VmHWM:")) peak = std::stol(line.substr(6));
    }
    return {now, peak};
}

// Resets the peak to the current resident size (Linux 4.0 and later).
void reset_peak() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

}  // namespace

int main(int argc, char** argv) {
    int contacts = 10000;
    std::string plugin_dir = FD_PLUGIN_DIR;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--contacts") contacts = std::stoi(argv[i + 1]);
        if (flag == "--plugin-dir") plugin_dir = argv[i + 1];
    }
    fdsandbox::Config config;
    config.rate_limit_budget = 1'000'000;
    fdsandbox::Sandbox sandbox(config);
    sandbox.start();
    fdsandbox::SeedSpec seed;
    seed.contacts = contacts;
    sandbox.seed(seed);
    const std::string credentials = json::serialize(json::object{{"api_key", sandbox.api_key()},
                                                                 {"base_url", sandbox.base_url()},
                                                                 {"ca_file", sandbox.ca_file().string()},
                                                                 {"timeout_ms", 600000}});
    std::string error;
    const json::object manifest = json::parse([&] {
        std::ifstream in(plugin_dir + "/package.json");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }()).as_object();
    auto plugin = wfp::Plugin::load(plugin_dir + "/" + std::string(manifest.at("wfp").at("library").as_string()), error);
    if (!plugin || !plugin->init(wfp::Plugin::default_host(), plugin_dir, error)) {
        std::cerr << "return_all_bench: " << error << "\n";
        return 1;
    }
    for (const int max_items : {100, 1000, 10000, 100000}) {
        reset_peak();
        const long before = resident_kib().first;
        const auto start = std::chrono::steady_clock::now();
        std::string envelope;
        const std::string input = R"({"ReturnAll":true,"MaxItems":)" + std::to_string(max_items) + "}";
        plugin->invoke("freshdesk.contact.get_many", input, credentials, envelope, error);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const long peak = resident_kib().second;
        const json::object out = json::parse(envelope).as_object();
        const std::int64_t pages = out.at("Pagination").at("pages_read").as_int64();
        std::cout << json::serialize(json::object{{"phase", "return_all"},
                                                  {"contacts", contacts},
                                                  {"max_items", max_items},
                                                  {"returned", out.at("Results").as_array().size()},
                                                  {"pages", pages},
                                                  {"seconds", seconds},
                                                  {"pages_per_second", static_cast<double>(pages) / seconds},
                                                  {"peak_rss_growth_kib", peak - before},
                                                  {"envelope_kib", static_cast<std::int64_t>(envelope.size() / 1024)}})
                  << std::endl;
    }
    return 0;
}
