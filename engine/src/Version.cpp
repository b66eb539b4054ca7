#include "normad/Version.h"

namespace normad {

const char* versionString()
{
    return NORMAD_VERSION;
}

} // namespace normad
