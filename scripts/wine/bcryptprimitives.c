/*
 * A stand-in bcryptprimitives.dll for Wine 8.0, which lacks it.
 *
 * Wheels built with Rust >= 1.78 (tokenizers, pydantic-core, jiter, hf-xet) import
 * ProcessPrng from bcryptprimitives.dll, Windows' random source since Windows 10.  Wine 8.0
 * has no such DLL, so importing those wheels fails.  This one-function DLL forwards to
 * RtlGenRandom (advapi32's SystemFunction036), which Wine implements.  scripts/wine-env.sh
 * builds it with mingw-w64 into the Wine prefix's system32; it is never part of the app or its
 * installer (real Windows has the real DLL).
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* RtlGenRandom takes a ULONG: fill larger requests in pieces. */
    while (length > 0) {
        ULONG piece = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, piece))
            return FALSE;
        data += piece;
        length -= piece;
    }
    return TRUE;
}
