// normad: the headless command line of NormAD Workbench (the engine, and Qt GUI for image datasets only).

#include "CliSupport.h"
#include "CommandTable.h"

#include "normad/Cancellation.h"
#include "normad/TextFormat.h"
#include "normad/imagedata/ImageFolderReader.h"

#include <csignal>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <string_view>
#include <vector>

namespace {

// The one global of the program: a signal handler can reach nothing else. A lock-free atomic
// store is async-signal-safe; the engine polls the flag every few hundred time steps.
normad::CancelFlag interruptRequested{false};
static_assert(normad::CancelFlag::is_always_lock_free);

extern "C" void onInterrupt(int)
{
    interruptRequested.store(true, std::memory_order_relaxed);
}

void installInterruptHandler()
{
    struct sigaction action { };
    action.sa_handler = &onInterrupt;
    sigemptyset(&action.sa_mask);
    // SA_RESETHAND: the first Ctrl-C asks for a clean stop; a second one, if the user will not
    // wait for the files to be written, ends the process the default way.
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, nullptr);
}

} // namespace

int main(int argc, char** argv)
{
    using namespace normad::cli;
    installInterruptHandler();
    // Image-folder datasets are decoded by Qt, which the engine does not link.
    normad::registerImageFolderReader();
    CommandContext context{std::cout, std::cerr, &interruptRequested};
    int code = exitFailure;
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        code = runCli(args, context);
    } catch (const std::invalid_argument& e) {
        // Bad usage or bad input: UsageError, invalid project files, parameters refused by validate().
        std::cerr << errorLine(e.what());
        code = exitUsage;
    } catch (const std::bad_alloc&) {
        // The loaders refuse inputs beyond the memory budget (naming them) before allocating; an
        // allocation that fails anyway still names what was being processed. By now the stack has
        // unwound and what was allocated is freed, so composing the message can allocate.
        std::string command = "normad";
        for (int i = 1; i < argc && command.size() < 400; ++i) {
            const std::string_view arg = argv[i];
            const std::string shown = normad::quotedText(arg, 200);
            command += ' ' + (shown.size() == arg.size() + 2 ? std::string(arg) : shown);
        }
        std::cerr << errorLine("out of memory while running: " + command);
        code = exitFailure;
    } catch (const std::exception& e) {
        std::cerr << errorLine(e.what());
        code = exitFailure;
    } catch (...) {
        std::cerr << errorLine("internal error (unknown exception)");
        code = exitFailure;
    }
    // A result that never reached stdout (closed pipe, full disk) is a failure, not a success.
    std::cout.flush();
    if (!std::cout && code == exitSuccess) {
        std::cerr << errorLine("cannot write to standard output");
        code = exitFailure;
    }
    return code;
}
