// JUnit XML for `flowrun test --junit FILE`, the report format CI systems (GitLab, Jenkins,
// GitHub test reporters) read: one testsuite, one testcase per workflow file.
#pragma once

#include <string>
#include <vector>

namespace flowrun {

struct TestCaseReport {
    std::string name;       // the workflow file
    std::string classname;  // the workflow's name
    double seconds = 0;
    std::vector<std::string> failures;  // empty when it passed
};

// Writes the report; false with `error` (naming the file and why) when it cannot.
bool write_junit(const std::string& file, const std::vector<TestCaseReport>& cases, std::string& error);

}  // namespace flowrun
