/* vrnd.h -- Varnish's random numbers as director code sees them; declarations only.
 * Defined by the C++ runtime on the simulator Prng, so every draw replays from the run
 * seed (STYLE.md section 1). */

#ifndef VRND_H_INCLUDED
#define VRND_H_INCLUDED

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void vrnd_lock_f(void);

/* Hooks Varnish wraps around the testable generator; may stay NULL here. */
extern vrnd_lock_f *VRND_Lock;
extern vrnd_lock_f *VRND_Unlock;

/* Fill len bytes; 0 on success, -1 on failure. */
int VRND_RandomCrypto(void *ptr, size_t len);

/* 31-bit non-negative values of BSD random(3) (TYPE_3 additive feedback). */
long VRND_RandomTestable(void);
/* [0, 1) built from two VRND_RandomTestable() draws. */
double VRND_RandomTestableDouble(void);
void VRND_SeedTestable(unsigned int seed);
void VRND_SeedAll(void);

#ifdef __cplusplus
}
#endif

#endif /* VRND_H_INCLUDED */
