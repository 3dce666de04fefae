#include "flowrun/junit_report.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace flowrun {

namespace {

std::string xml_escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                // XML 1.0 has no way to carry other control characters, even escaped.
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
        }
    }
    return out;
}

void write_case(std::ostream& out, const TestCaseReport& test) {
    out << "    <testcase name=\"" << xml_escaped(test.name) << "\" classname=\"" << xml_escaped(test.classname)
        << "\" time=\"" << test.seconds << "\"";
    if (test.failures.empty()) {
        out << "/>\n";
        return;
    }
    std::string details;
    for (const std::string& failure : test.failures)
        details += failure + "\n";
    out << ">\n      <failure message=\"" << xml_escaped(test.failures.front()) << "\">" << xml_escaped(details)
        << "</failure>\n    </testcase>\n";
}

}  // namespace

bool write_junit(const std::string& file, const std::vector<TestCaseReport>& cases, std::string& error) {
    std::size_t failed = 0;
    double seconds = 0;
    for (const TestCaseReport& test : cases) {
        failed += test.failures.empty() ? 0 : 1;
        seconds += test.seconds;
    }
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuites tests=\"" << cases.size() << "\" failures=\"" << failed << "\" time=\"" << seconds << "\">\n"
        << "  <testsuite name=\"flowrun test\" tests=\"" << cases.size() << "\" failures=\"" << failed
        << "\" errors=\"0\" time=\"" << seconds << "\">\n";
    for (const TestCaseReport& test : cases)
        write_case(out, test);
    out << "  </testsuite>\n</testsuites>\n";
    errno = 0;
    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    stream << out.str();
    stream.close();
    if (!stream) {
        error = "cannot write " + file + ": " + (errno ? std::strerror(errno) : "unknown reason");
        return false;
    }
    return true;
}

}  // namespace flowrun
