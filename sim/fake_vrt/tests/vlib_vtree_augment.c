/* vlib_vtree_augment.c -- a VRBT with VRBT_AUGMENT keeping subtree sizes, for
 * vlib_vtree_test.cpp: after every insert and remove each node's count must equal
 * 1 + its children's counts. */

#include <stddef.h>
#include <stdlib.h>

#include "vdef.h"

struct va_node;
static void va_augment(struct va_node *);
#define VRBT_AUGMENT(x)	va_augment(x)

#include "vtree.h"

struct va_node {
	VRBT_ENTRY(va_node)	link;
	int			key;
	int			size;	/* nodes in this subtree */
};

static int
va_size(const struct va_node *n)
{

	return (n == NULL ? 0 : n->size);
}

static void
va_augment(struct va_node *n)
{

	n->size = 1 + va_size(VRBT_LEFT(n, link)) + va_size(VRBT_RIGHT(n, link));
}

static int
va_cmp(const struct va_node *a, const struct va_node *b)
{

	return (a->key < b->key ? -1 : a->key > b->key);
}

VRBT_HEAD(va_tree, va_node);
VRBT_GENERATE_STATIC(va_tree, va_node, link, va_cmp)

static struct va_tree va_head = VRBT_INITIALIZER(&va_head);

int va_insert(int key);
int va_remove(int key);
int va_check(void);

int
va_insert(int key)
{
	struct va_node *n = calloc(1, sizeof *n);

	n->key = key;
	if (VRBT_INSERT(va_tree, &va_head, n) == NULL)
		return (1);
	free(n);
	return (0);
}

int
va_remove(int key)
{
	struct va_node k, *n;

	k.key = key;
	n = VRBT_FIND(va_tree, &va_head, &k);
	if (n == NULL)
		return (0);
	(void)VRBT_REMOVE(va_tree, &va_head, n);
	free(n);
	return (1);
}

/* Walks every node; returns the tree size, or -1 when a count is stale. */
int
va_check(void)
{
	struct va_node *n;
	int total = 0;

	VRBT_FOREACH(n, va_tree, &va_head) {
		if (n->size != 1 + va_size(VRBT_LEFT(n, link)) +
		    va_size(VRBT_RIGHT(n, link)))
			return (-1);
		total++;
	}
	if (total != va_size(VRBT_ROOT(&va_head)))
		return (-1);
	return (total);
}
