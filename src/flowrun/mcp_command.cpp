#include "flowrun/cli.hpp"
namespace flowrun {
int command_mcp(const CommandLine&) {
    return kExitUsage;
}
}  // namespace flowrun
