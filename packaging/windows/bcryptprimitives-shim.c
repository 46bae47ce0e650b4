/* For packaging/test-windows only, never shipped: Debian 12's wine 8.0 has no
 * bcryptprimitives.dll, whose ProcessPrng Rust's standard library (1.78 and later)
 * calls for random numbers; wine 8.13 and Windows 10 have it. This stand-in, put
 * beside jixiao.exe in the test folder, answers with RtlGenRandom. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
