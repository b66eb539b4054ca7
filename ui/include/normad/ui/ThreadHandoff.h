#pragma once

// ThreadSanitizer cannot see the synchronisation inside Qt's event queue: Qt 6's mutexes are futex
// based and Debian's Qt is not instrumented, so every value handed between the GUI thread and the
// training worker through a queued call or a queued signal looks like a data race to it. send()
// before posting and receive() where the posted call runs state the happens-before edge that the
// queue really provides. Without TSan both compile to nothing.

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
#endif

namespace normad::ui::handoff {

#if defined(__SANITIZE_THREAD__)
inline char token;
inline void send() { __tsan_release(&token); }
inline void receive() { __tsan_acquire(&token); }
#else
inline void send() {}
inline void receive() {}
#endif

} // namespace normad::ui::handoff
