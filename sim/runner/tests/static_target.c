/* A stand-in for a vmod's static data (isolate_test.cpp): a counter each call bumps. */
static int calls;

int vdisim_static_target_bump(void);

int
vdisim_static_target_bump(void)
{
	return (++calls);
}
