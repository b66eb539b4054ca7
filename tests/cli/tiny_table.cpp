// normad-tiny-table FILE: writes the tiny feature table of tests/common/TinyTable.h to FILE, so the
// Python end-to-end checks (brian2_export_check.py) use the table the C++ suites train on.

#include "TinyTable.h"

#include <cstdio>
#include <fstream>

int main(int argc, char* argv[])
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: normad-tiny-table FILE\n");
        return 2;
    }
    std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
    out << normad::testdata::tinyTable();
    out.close();
    if (!out) {
        std::fprintf(stderr, "normad-tiny-table: cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
