/* A shared library named like a vmod that has no Vmod_nodesc_Data: loading it must say so. */
int nodesc_answer(void);
int nodesc_answer(void) { return (42); }
