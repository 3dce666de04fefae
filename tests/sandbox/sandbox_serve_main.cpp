// `flowrun sandbox` as a process of its own, for the suite's signal and startup-line tests.
#include "sandbox/sandbox_command.hpp"

int main(int argc, char** argv) {
    return run_sandbox_command(argc, argv);
}
