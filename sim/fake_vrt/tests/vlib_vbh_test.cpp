// vlib_vbh_test.cpp -- vbh.c's heap against std::multiset: seeded inserts, root
// removals, deletes by reported slot and re-keying, with the slot bookkeeping
// (update callback) checked throughout.

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

#include "vbh.h"

namespace {

struct Item {
	uint64_t	key;
	unsigned	idx = VBH_NOIDX;
	bool		in = false;
};

int Less(void *priv, const void *a, const void *b) {
	(void)priv;
	return static_cast<const Item *>(a)->key < static_cast<const Item *>(b)->key;
}

void Update(void *priv, void *a, unsigned idx) {
	auto *moves = static_cast<unsigned *>(priv);
	(*moves)++;
	static_cast<Item *>(a)->idx = idx;
}

struct Rng {
	uint64_t s;
	uint64_t next() {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		return s;
	}
};

TEST(VlibVbh, matches_multiset_under_random_operations) {
	unsigned moves = 0;
	struct vbh *bh = VBH_new(&moves, Less, Update);
	ASSERT_NE(bh, nullptr);
	EXPECT_EQ(VBH_root(bh), nullptr);
	std::vector<Item> items(2000);
	std::multiset<uint64_t> ref;
	Rng r{0x1234567};
	for (int step = 0; step < 20000; step++) {
		Item &it = items[r.next() % items.size()];
		unsigned op = static_cast<unsigned>(r.next() % 4);
		if (!it.in) {
			it.key = r.next() % 5000;
			VBH_insert(bh, &it);
			it.in = true;
			ref.insert(it.key);
			ASSERT_NE(it.idx, VBH_NOIDX);
		} else if (op == 0) {
			ref.erase(ref.find(it.key));
			VBH_delete(bh, it.idx);
			ASSERT_EQ(it.idx, VBH_NOIDX);
			it.in = false;
		} else if (op == 1) {
			ref.erase(ref.find(it.key));
			it.key = r.next() % 5000;
			ref.insert(it.key);
			VBH_reorder(bh, it.idx);
		} else if (op == 2 && !ref.empty()) {
			auto *root = static_cast<Item *>(VBH_root(bh));
			ASSERT_EQ(root->key, *ref.begin()) << "step " << step;
			ref.erase(ref.begin());
			VBH_delete(bh, root->idx);
			root->in = false;
		}
		auto *root = static_cast<Item *>(VBH_root(bh));
		if (ref.empty())
			ASSERT_EQ(root, nullptr);
		else
			ASSERT_EQ(root->key, *ref.begin()) << "step " << step;
	}
	EXPECT_GT(moves, 0u);
	// drain in order
	uint64_t last = 0;
	Item *root;
	while ((root = static_cast<Item *>(VBH_root(bh))) != nullptr) {
		EXPECT_GE(root->key, last);
		last = root->key;
		VBH_delete(bh, root->idx);
		root->in = false;
	}
	VBH_destroy(&bh);
	EXPECT_EQ(bh, nullptr);
}

TEST(VlibVbh, destroying_a_non_empty_heap_fails) {
	unsigned moves = 0;
	struct vbh *bh = VBH_new(&moves, Less, Update);
	Item a{3}, b{1}, c{2};
	VBH_insert(bh, &a);
	VBH_insert(bh, &b);
	VBH_insert(bh, &c);
	EXPECT_EQ(VBH_root(bh), &b);
	EXPECT_DEATH(VBH_destroy(&bh), "assert outside a run");
	VBH_delete(bh, c.idx);	// not the root
	EXPECT_EQ(c.idx, VBH_NOIDX);
	VBH_delete(bh, b.idx);
	EXPECT_EQ(VBH_root(bh), &a);
	VBH_delete(bh, a.idx);
	EXPECT_EQ(VBH_root(bh), nullptr);
	VBH_destroy(&bh);
}

}  // namespace
