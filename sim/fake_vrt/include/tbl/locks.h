/* tbl/locks.h -- X-macro table of Varnish 8.0.0's lock classes, LOCK(name).
 * cache/cache.h expands it into the lck_<name> class pointers vmods pass to Lck_New. */

/*lint -save -e525 -e539 */

LOCK(ban)
LOCK(busyobj)
LOCK(cli)
LOCK(director)
LOCK(exp)
LOCK(hcb)
LOCK(lru)
LOCK(mempool)
LOCK(objhdr)
LOCK(perpool)
LOCK(pipestat)
LOCK(probe)
LOCK(sess)
LOCK(conn_pool)
LOCK(dead_pool)
LOCK(vbe)
LOCK(vcapace)
LOCK(vcashut)
LOCK(vcl)
LOCK(vxid)
LOCK(waiter)
LOCK(wq)
LOCK(wstat)

#undef LOCK

/*lint -restore */
