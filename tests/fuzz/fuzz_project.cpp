// libFuzzer harness of the project reader (engine ProjectIo, docs/project-format.md): any bytes as
// a project file's text. Refusals (ProjectError, MemoryBudgetError) are the expected outcome of bad
// input; anything else escaping — another exception, std::bad_alloc, a sanitizer report — is a
// finding. A project that loads must also save and load again to the same text.

#include "FuzzSupport.h"

#include "normad/MemoryBudget.h"
#include "normad/ProjectIo.h"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(normad::fuzz::bytesOf(data, size));
    normad::Project project;
    try {
        project = normad::projectFromJson(text, "fuzz.json");
    } catch (const normad::ProjectError& e) {
        normad::fuzz::refused(e);
        return 0;
    } catch (const normad::MemoryBudgetError& e) {
        normad::fuzz::refused(e);
        return 0;
    }
    // Accepted: what is written must read back (the writer never produces a file the reader refuses).
    const std::string saved = normad::projectToJson(project);
    const std::string again = normad::projectToJson(normad::projectFromJson(saved, "fuzz-saved.json"));
    if (again != saved) {
        std::fprintf(stderr, "a loaded project does not save to the same text twice\n--- first:\n%s\n--- second:\n%s\n",
                     saved.c_str(), again.c_str());
        std::abort();
    }
    return 0;
}
