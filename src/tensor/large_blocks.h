#pragma once
// Buffers too large for glibc's heap (over 32 MiB, its largest mmap threshold: a translator's
// logits over an 8000-word vocabulary and their gradient) are mapped fresh by the kernel at every
// allocation, and a training step then pays a page fault per 4 KiB of them again, every step (a
// sixth of an rnn-small step). Freed ones are kept here and handed out again for requests of
// about their size.
#include <cstddef>

namespace dikkat {

inline constexpr size_t kLargeBlockBytes = size_t(32) << 20;

void* allocate_large_block(size_t bytes);
void free_large_block(void* p, size_t bytes);

}  // namespace dikkat
