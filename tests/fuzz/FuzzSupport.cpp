#include "FuzzSupport.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/)
{
    normad::fuzz::capAddressSpace();
    return 0;
}
