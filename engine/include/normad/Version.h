#pragma once

namespace normad {

/// The program's version, recorded in every export.
const char* versionString();

} // namespace normad
