/* linecount.c - see linecount.h.  The CPU is asked once which loop to
 * use. */
#include "config.h"
#include "linecount.h"
#include "util.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SS_X86_SIMD 1
#include <immintrin.h>
#endif
#if defined(__aarch64__) && defined(__ARM_NEON)
#define SS_NEON 1
#include <arm_neon.h>
#endif

static size_t count_scalar(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, nl = ones * '\n';
	size_t c = 0, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		v ^= nl;   /* a newline byte becomes 0 */
		uint64_t t = (v & 0x7f7f7f7f7f7f7f7fu) + 0x7f7f7f7f7f7f7f7fu;
		c += (size_t)__builtin_popcountll(~(t | v | 0x7f7f7f7f7f7f7f7fu));
	}
	for (; i < n; i++)
		c += s[i] == '\n';
	return c;
}

#ifdef SS_X86_SIMD
__attribute__((target("avx2,popcnt")))
static size_t count_avx2(const char *s, size_t n)
{
	const __m256i nl = _mm256_set1_epi8('\n');
	size_t c = 0, i = 0;
	for (; i + 64 <= n; i += 64) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(s + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(s + i + 32));
		uint64_t m = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, nl)) |
			     (uint64_t)(uint32_t)_mm256_movemask_epi8(
				     _mm256_cmpeq_epi8(b, nl)) << 32;
		c += (size_t)__builtin_popcountll(m);
	}
	return c + count_scalar(s + i, n - i);
}

__attribute__((target("avx512f,avx512bw,popcnt")))
static size_t count_avx512(const char *s, size_t n)
{
	const __m512i nl = _mm512_set1_epi8('\n');
	size_t c = 0, i = 0;
	for (; i + 64 <= n; i += 64)
		c += (size_t)__builtin_popcountll(_mm512_cmpeq_epi8_mask(
			_mm512_loadu_si512(s + i), nl));
	if (i == n)
		return c;
	/* the rest through a masked load, which reads no byte past n */
	__mmask64 rest = _cvtu64_mask64(((uint64_t)1 << (n - i)) - 1);
	return c + (size_t)__builtin_popcountll(_mm512_mask_cmpeq_epi8_mask(
		rest, _mm512_maskz_loadu_epi8(rest, s + i), nl));
}
#endif

#ifdef SS_NEON
/* A compare gives 0xff per newline: subtracting it counts up each byte
 * lane, added across every 255 steps before a lane could wrap. */
static size_t count_neon(const char *s, size_t n)
{
	const uint8x16_t nl = vdupq_n_u8('\n');
	size_t c = 0, i = 0;
	while (i + 16 <= n) {
		uint8x16_t acc = vdupq_n_u8(0);
		for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16)
			acc = vsubq_u8(acc, vceqq_u8(vld1q_u8((const uint8_t *)s + i), nl));
		c += vaddlvq_u8(acc);
	}
	return c + count_scalar(s + i, n - i);
}
#endif

typedef size_t (*count_fn)(const char *, size_t);

static count_fn pick(void)
{
#ifdef SS_X86_SIMD
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512bw") && ss_simd_allows("avx512bw"))
		return count_avx512;
	if (__builtin_cpu_supports("avx2") && ss_simd_allows("avx2"))
		return count_avx2;
#endif
#ifdef SS_NEON
	if (ss_simd_allows("neon"))
		return count_neon;
#endif
	return count_scalar;
}

size_t linecount(const char *s, size_t n)
{
	static count_fn fn;    /* the same answer in every thread */
	count_fn f = __atomic_load_n(&fn, __ATOMIC_RELAXED);
	if (!f) {
		f = pick();
		__atomic_store_n(&fn, f, __ATOMIC_RELAXED);
	}
	return f(s, n);
}
