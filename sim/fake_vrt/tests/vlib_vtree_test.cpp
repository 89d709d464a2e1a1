// vlib_vtree_test.cpp -- vtree.h's red-black tree against std::set: thousands of
// seeded inserts and removes, the red-black rules checked after each step, for the
// full generator and for the subsets libvmod-dynamic generates (vlib_vtree_subset.c).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

extern "C" {
struct vt_node;
struct vt_node *vt_new(int key);
void vt_free(struct vt_node *n);
int vt_key(const struct vt_node *n);
void vt_set_key(struct vt_node *n, int key);
void vt_reset(void);
struct vt_node *vt_insert(int which, struct vt_node *n);
struct vt_node *vt_remove(int which, struct vt_node *n);
struct vt_node *vt_find(int which, int key);
struct vt_node *vt_nfind(int key);
struct vt_node *vt_min(int which);
struct vt_node *vt_max(void);
struct vt_node *vt_next(int which, struct vt_node *n);
struct vt_node *vt_prev(struct vt_node *n);
struct vt_node *vt_root(int which);
int vt_rank(int which);
int vt_count_foreach(int which);
int vt_count_reverse(void);
int vt_empty_all_safe(void);
struct vt_node *vt_insert_next(struct vt_node *at, struct vt_node *n);
struct vt_node *vt_insert_prev(struct vt_node *at, struct vt_node *n);
struct vt_node *vt_reinsert(struct vt_node *n);
int va_insert(int key);
int va_remove(int key);
int va_check(void);
}

#include "vtree.h"


namespace {

constexpr int kDom = 0, kFull = 1, kSrv = 2;

// Small deterministic generator (splitmix64), so a failure replays.
struct Mix {
	uint64_t s;
	uint64_t next() {
		uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		return z ^ (z >> 31);
	}
};

std::vector<int> InOrder(int which) {
	std::vector<int> out;
	for (vt_node *n = vt_min(which); n != nullptr; n = vt_next(which, n))
		out.push_back(vt_key(n));
	return out;
}

// Random inserts and removes of keys in [0, 1500) against std::set.
void Churn(int which, uint64_t seed, int steps) {
	vt_reset();
	std::set<int> ref;
	Mix m{seed};
	for (int i = 0; i < steps; i++) {
		int key = static_cast<int>(m.next() % 1500);
		bool add = (m.next() % 3) != 0;	// grow more than shrink
		vt_node *found = vt_find(which, key);
		ASSERT_EQ(found != nullptr, ref.count(key) == 1)
		    << "seed " << seed << " step " << i << " key " << key;
		if (add) {
			vt_node *n = vt_new(key);
			vt_node *dup = vt_insert(which, n);
			ASSERT_EQ(dup, found) << "seed " << seed << " step " << i;
			if (dup != nullptr)
				vt_free(n);
			ref.insert(key);
		} else if (found != nullptr) {
			ASSERT_EQ(vt_remove(which, found), found);
			vt_free(found);
			ref.erase(key);
		}
		if (which != kSrv) {
			ASSERT_GE(vt_rank(which), 1)
			    << "red-black rule broken, seed " << seed << " step " << i;
		}
	}
	if (which != kSrv) {
		std::vector<int> want(ref.begin(), ref.end());
		EXPECT_EQ(InOrder(which), want) << "seed " << seed;
		EXPECT_EQ(vt_count_foreach(which), static_cast<int>(ref.size()));
	}
	// Drain through the root, as libvmod-dynamic's destructor does.
	vt_node *r;
	while ((r = vt_root(which)) != nullptr) {
		ASSERT_EQ(vt_remove(which, r), r);
		ref.erase(vt_key(r));
		vt_free(r);
		if (which != kSrv) {
			ASSERT_GE(vt_rank(which), 1);
		}
	}
	EXPECT_TRUE(ref.empty());
}

TEST(VlibVtree, full_tree_matches_std_set_under_random_churn) {
	for (uint64_t seed = 1; seed <= 4; seed++)
		Churn(kFull, seed, 6000);
}

TEST(VlibVtree, dynamic_domain_subset_matches_std_set) {
	Churn(kDom, 11, 6000);
}

TEST(VlibVtree, dynamic_service_subset_links_and_keeps_membership) {
	Churn(kSrv, 21, 6000);
}

TEST(VlibVtree, sorted_and_reverse_sorted_inserts_stay_balanced) {
	vt_reset();
	for (int k = 0; k < 4096; k++)
		ASSERT_EQ(vt_insert(kFull, vt_new(k)), nullptr);
	// 4096 nodes: height <= 2 log2(n + 1), so black height <= 13
	int bh = vt_rank(kFull);
	EXPECT_GE(bh, 6);
	EXPECT_LE(bh, 13);
	EXPECT_EQ(vt_count_reverse(), 4096);
	EXPECT_EQ(vt_empty_all_safe(), 4096);
	for (int k = 4096; k > 0; k--)
		ASSERT_EQ(vt_insert(kFull, vt_new(k)), nullptr);
	EXPECT_GE(vt_rank(kFull), 6);
	EXPECT_EQ(vt_empty_all_safe(), 4096);
}

TEST(VlibVtree, nfind_min_max_prev_follow_order) {
	vt_reset();
	for (int k = 10; k <= 100; k += 10)
		vt_insert(kFull, vt_new(k));
	EXPECT_EQ(vt_key(vt_nfind(35)), 40);
	EXPECT_EQ(vt_key(vt_nfind(40)), 40);
	EXPECT_EQ(vt_key(vt_nfind(-5)), 10);
	EXPECT_EQ(vt_nfind(101), nullptr);
	EXPECT_EQ(vt_key(vt_min(kFull)), 10);
	EXPECT_EQ(vt_key(vt_max()), 100);
	EXPECT_EQ(vt_key(vt_prev(vt_find(kFull, 50))), 40);
	EXPECT_EQ(vt_prev(vt_min(kFull)), nullptr);
	EXPECT_EQ(vt_next(kFull, vt_max()), nullptr);
	EXPECT_EQ(vt_empty_all_safe(), 10);
	EXPECT_EQ(vt_min(kFull), nullptr);
}

TEST(VlibVtree, insert_next_and_prev_place_nodes_by_position) {
	vt_reset();
	vt_node *a = vt_new(10);
	vt_insert(kFull, a);
	vt_node *prev = a;
	for (int k = 11; k < 300; k++) {	// each right after the previous one
		vt_node *n = vt_new(k);
		EXPECT_EQ(vt_insert_next(prev, n), nullptr);
		prev = n;
	}
	prev = a;
	for (int k = 9; k > -300; k--) {
		vt_node *n = vt_new(k);
		EXPECT_EQ(vt_insert_prev(prev, n), nullptr);
		prev = n;
	}
	ASSERT_GE(vt_rank(kFull), 1);
	std::vector<int> got = InOrder(kFull);
	ASSERT_EQ(got.size(), 599u);	// 10, 11..299, 9..-299
	for (size_t i = 1; i < got.size(); i++)
		ASSERT_EQ(got[i], got[i - 1] + 1);
	EXPECT_EQ(vt_empty_all_safe(), 599);
}

TEST(VlibVtree, reinsert_moves_a_node_whose_key_changed) {
	vt_reset();
	std::vector<vt_node *> nodes;
	for (int k = 0; k < 50; k++) {
		nodes.push_back(vt_new(k * 2));
		vt_insert(kFull, nodes.back());
	}
	// Still in order: stays put.
	EXPECT_EQ(vt_reinsert(nodes[10]), nullptr);
	vt_set_key(nodes[10], 21);	// between 20 and 22: still in place
	EXPECT_EQ(vt_reinsert(nodes[10]), nullptr);
	vt_set_key(nodes[10], 1001);	// now belongs last
	EXPECT_EQ(vt_reinsert(nodes[10]), nullptr);
	EXPECT_EQ(vt_max(), nodes[10]);
	vt_set_key(nodes[40], -7);	// now belongs first
	EXPECT_EQ(vt_reinsert(nodes[40]), nullptr);
	EXPECT_EQ(vt_min(kFull), nodes[40]);
	EXPECT_GE(vt_rank(kFull), 1);
	std::vector<int> got = InOrder(kFull);
	EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
	EXPECT_EQ(vt_empty_all_safe(), 50);
}

TEST(VlibVtree, augment_hook_keeps_subtree_counts_current) {
	Mix m{5};
	std::set<int> ref;
	for (int i = 0; i < 4000; i++) {
		int key = static_cast<int>(m.next() % 700);
		if (m.next() % 2) {
			ASSERT_EQ(va_insert(key), ref.insert(key).second ? 1 : 0);
		} else {
			ASSERT_EQ(va_remove(key), static_cast<int>(ref.erase(key)));
		}
		ASSERT_EQ(va_check(), static_cast<int>(ref.size())) << "step " << i;
	}
	for (int k : std::vector<int>(ref.begin(), ref.end()))
		ASSERT_EQ(va_remove(k), 1);
	EXPECT_EQ(va_check(), 0);
}

// ---- VSPLAY

struct SpNode {
	VSPLAY_ENTRY(SpNode)	e;
	int			key;
};
int SpCmp(const SpNode *a, const SpNode *b) {
	return a->key < b->key ? -1 : a->key > b->key;
}
VSPLAY_HEAD(SpTree, SpNode);
VSPLAY_PROTOTYPE(SpTree, SpNode, e, SpCmp)
VSPLAY_GENERATE(SpTree, SpNode, e, SpCmp)

TEST(VlibVsplay, matches_std_set_and_walks_in_order) {
	SpTree h = VSPLAY_INITIALIZER(&h);
	std::vector<SpNode> pool(1000);
	std::set<int> ref;
	Mix m{77};
	for (int i = 0; i < 8000; i++) {
		int key = static_cast<int>(m.next() % 1000);
		SpNode &n = pool[static_cast<size_t>(key)];
		SpNode probe{};
		probe.key = key;
		bool in = ref.count(key) == 1;
		ASSERT_EQ(VSPLAY_FIND(SpTree, &h, &probe), in ? &n : nullptr);
		if (m.next() % 2) {
			n.key = key;
			ASSERT_EQ(VSPLAY_INSERT(SpTree, &h, &n), in ? &n : nullptr);
			ref.insert(key);
		} else {
			ASSERT_EQ(VSPLAY_REMOVE(SpTree, &h, &probe), in ? &probe : nullptr);
			ref.erase(key);
		}
	}
	std::vector<int> got;
	SpNode *x;
	VSPLAY_FOREACH(x, SpTree, &h)
		got.push_back(x->key);
	EXPECT_EQ(got, std::vector<int>(ref.begin(), ref.end()));
	ASSERT_FALSE(ref.empty());
	EXPECT_EQ(VSPLAY_MIN(SpTree, &h)->key, *ref.begin());
	EXPECT_EQ(VSPLAY_MAX(SpTree, &h)->key, *ref.rbegin());
	while (!VSPLAY_EMPTY(&h)) {
		SpNode *r = VSPLAY_ROOT(&h);
		ASSERT_EQ(VSPLAY_REMOVE(SpTree, &h, r), r);
	}
	EXPECT_EQ(VSPLAY_MIN(SpTree, &h), nullptr);
}

}  // namespace
