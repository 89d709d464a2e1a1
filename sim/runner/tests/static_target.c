/* A stand-in for a vmod's static data (isolate_test.cpp): a counter that is zero at the
 * fork, one that is not, and a thread-local one. */
static int calls;
static int counted = 7;
static __thread int tls_calls;

int vdisim_static_target_bump(void);
int vdisim_static_target_count(void);
int vdisim_static_target_tls_bump(void);

int
vdisim_static_target_bump(void)
{
	return (++calls);
}

int
vdisim_static_target_count(void)
{
	return (++counted);
}

int
vdisim_static_target_tls_bump(void)
{
	return (++tls_calls);
}
