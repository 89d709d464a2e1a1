/* vcs.h -- Varnish's version strings (VCS_*) as vdisim reports them: package
 * "varnish", version 8.0.0, revision "vdisim". Vmods print them in banners. */

#ifndef VCS_H_INCLUDED
#define VCS_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

/* Writes "<progname> " and the 'M' text to stderr. */
void VCS_Message(const char *);
/* which: "T" tarname, "P" version, "B" branch, "R" revision, "V" one line,
 * "M" the banner; anything else fails through vas.h. */
const char *VCS_String(const char *which);

#ifdef __cplusplus
}
#endif

#endif /* VCS_H_INCLUDED */
