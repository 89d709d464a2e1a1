// The simrun binary. Its main() is in the vdisim_simrun library, which every vmod's own
// simrun links too (vdisim_add_vmod_test); the built-in directors come with the runner.
