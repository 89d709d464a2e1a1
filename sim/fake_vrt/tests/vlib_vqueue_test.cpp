// vlib_vqueue_test.cpp -- vqueue.h's four list kinds against std::deque: the same
// seeded sequence of inserts and removes, then forward and backward walks compared.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

#include "vqueue.h"

namespace {

struct Item {
	VTAILQ_ENTRY(Item)	tq;
	VLIST_ENTRY(Item)	li;
	VSTAILQ_ENTRY(Item)	stq;
	VSLIST_ENTRY(Item)	sl;
	int			v;
};
VTAILQ_HEAD(TqHead, Item);
VLIST_HEAD(LHead, Item);
VSTAILQ_HEAD(StqHead, Item);
VSLIST_HEAD(SlHead, Item);

struct Lcg {
	uint64_t s;
	unsigned next(unsigned n) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		return static_cast<unsigned>((s >> 33) % n);
	}
};

std::vector<int> Tq(TqHead *h) {
	std::vector<int> out;
	Item *i;
	VTAILQ_FOREACH(i, h, tq)
		out.push_back(i->v);
	return out;
}

std::vector<int> TqReverse(TqHead *h) {
	std::vector<int> out;
	Item *i;
	VTAILQ_FOREACH_REVERSE(i, h, TqHead, tq)
		out.push_back(i->v);
	return out;
}

TEST(VlibVqueue, vtailq_matches_deque_under_random_edits) {
	TqHead h = VTAILQ_HEAD_INITIALIZER(h);
	std::deque<Item *> ref;
	std::vector<Item> pool(600);
	std::vector<Item *> unused;
	for (auto &p : pool)
		unused.push_back(&p);
	Lcg r{7};
	int next = 0;
	for (int step = 0; step < 5000; step++) {
		unsigned op = r.next(6);
		if (ref.size() >= pool.size() - 1 || (op >= 4 && !ref.empty())) {
			size_t k = r.next(static_cast<unsigned>(ref.size()));
			VTAILQ_REMOVE(&h, ref[k], tq);
			unused.push_back(ref[k]);
			ref.erase(ref.begin() + static_cast<long>(k));
			continue;
		}
		Item *it = unused.back();
		unused.pop_back();
		it->v = next++;
		if (op == 0 || ref.empty()) {
			VTAILQ_INSERT_TAIL(&h, it, tq);
			ref.push_back(it);
		} else if (op == 1) {
			VTAILQ_INSERT_HEAD(&h, it, tq);
			ref.push_front(it);
		} else if (op == 2) {
			size_t k = r.next(static_cast<unsigned>(ref.size()));
			VTAILQ_INSERT_AFTER(&h, ref[k], it, tq);
			ref.insert(ref.begin() + static_cast<long>(k) + 1, it);
		} else {
			size_t k = r.next(static_cast<unsigned>(ref.size()));
			VTAILQ_INSERT_BEFORE(ref[k], it, tq);
			ref.insert(ref.begin() + static_cast<long>(k), it);
		}
		if (step % 97 == 0) {
			std::vector<int> want;
			for (Item *p : ref)
				want.push_back(p->v);
			ASSERT_EQ(Tq(&h), want) << "step " << step;
			std::reverse(want.begin(), want.end());
			ASSERT_EQ(TqReverse(&h), want) << "step " << step;
			ASSERT_EQ(VTAILQ_EMPTY(&h), ref.empty());
			if (!ref.empty()) {
				ASSERT_EQ(VTAILQ_FIRST(&h), ref.front());
				ASSERT_EQ(VTAILQ_LAST(&h, TqHead), ref.back());
			}
		}
	}
}

TEST(VlibVqueue, vtailq_concat_swap_and_safe_removal) {
	Item it[7];
	TqHead a, b;
	VTAILQ_INIT(&a);
	VTAILQ_INIT(&b);
	for (int i = 0; i < 6; i++) {
		it[i].v = i;
		VTAILQ_INSERT_TAIL(i < 3 ? &a : &b, &it[i], tq);
	}
	VTAILQ_SWAP(&a, &b, Item, tq);
	EXPECT_EQ(Tq(&a), (std::vector<int>{3, 4, 5}));
	EXPECT_EQ(Tq(&b), (std::vector<int>{0, 1, 2}));
	VTAILQ_CONCAT(&a, &b, tq);
	EXPECT_TRUE(VTAILQ_EMPTY(&b));
	EXPECT_EQ(Tq(&a), (std::vector<int>{3, 4, 5, 0, 1, 2}));
	EXPECT_EQ(TqReverse(&a), (std::vector<int>{2, 1, 0, 5, 4, 3}));
	// swapping with an empty list leaves both usable
	VTAILQ_SWAP(&a, &b, Item, tq);
	EXPECT_TRUE(VTAILQ_EMPTY(&a));
	VTAILQ_INSERT_TAIL(&a, &it[6], tq);	// a's tail slot points into a
	EXPECT_EQ(VTAILQ_LAST(&a, TqHead), &it[6]);
	VTAILQ_REMOVE(&a, &it[6], tq);
	EXPECT_TRUE(VTAILQ_EMPTY(&a));
	EXPECT_EQ(VTAILQ_PREV(&it[3], TqHead, tq), nullptr);	// it[3] heads b now
	Item *i, *t;
	int n = 0;
	VTAILQ_FOREACH_SAFE(i, &b, tq, t) {
		VTAILQ_REMOVE(&b, i, tq);
		n++;
	}
	EXPECT_EQ(n, 6);
	EXPECT_TRUE(VTAILQ_EMPTY(&b));
	EXPECT_EQ(b.vtqh_last, &b.vtqh_first);
}

TEST(VlibVqueue, vlist_insert_remove_prev_and_swap) {
	Item it[4];
	LHead h = VLIST_HEAD_INITIALIZER(h), g;
	VLIST_INIT(&g);
	for (int i = 0; i < 4; i++)
		it[i].v = i;
	VLIST_INSERT_HEAD(&h, &it[2], li);
	VLIST_INSERT_BEFORE(&it[2], &it[0], li);
	VLIST_INSERT_AFTER(&it[0], &it[1], li);
	VLIST_INSERT_AFTER(&it[2], &it[3], li);
	std::vector<int> got;
	Item *i, *t;
	VLIST_FOREACH(i, &h, li)
		got.push_back(i->v);
	EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3}));
	EXPECT_EQ(VLIST_PREV(&it[0], &h, Item, li), nullptr);
	EXPECT_EQ(VLIST_PREV(&it[3], &h, Item, li), &it[2]);
	VLIST_REMOVE(&it[1], li);
	EXPECT_EQ(VLIST_NEXT(&it[0], li), &it[2]);
	EXPECT_EQ(VLIST_PREV(&it[2], &h, Item, li), &it[0]);
	VLIST_SWAP(&h, &g, Item, li);
	EXPECT_TRUE(VLIST_EMPTY(&h));
	EXPECT_EQ(VLIST_FIRST(&g), &it[0]);
	EXPECT_EQ(VLIST_PREV(&it[0], &g, Item, li), nullptr);
	int n = 0;
	VLIST_FOREACH_SAFE(i, &g, li, t) {
		VLIST_REMOVE(i, li);
		n++;
	}
	EXPECT_EQ(n, 3);
	EXPECT_TRUE(VLIST_EMPTY(&g));
}

TEST(VlibVqueue, vstailq_tail_slot_follows_every_edit) {
	Item it[5];
	StqHead h = VSTAILQ_HEAD_INITIALIZER(h), g;
	VSTAILQ_INIT(&g);
	for (int i = 0; i < 5; i++)
		it[i].v = i;
	VSTAILQ_INSERT_TAIL(&h, &it[1], stq);
	VSTAILQ_INSERT_HEAD(&h, &it[0], stq);
	VSTAILQ_INSERT_AFTER(&h, &it[1], &it[3], stq);
	VSTAILQ_INSERT_AFTER(&h, &it[1], &it[2], stq);
	EXPECT_EQ(VSTAILQ_LAST(&h, Item, stq), &it[3]);
	VSTAILQ_REMOVE(&h, &it[3], Item, stq);	// the last one
	EXPECT_EQ(VSTAILQ_LAST(&h, Item, stq), &it[2]);
	VSTAILQ_INSERT_TAIL(&h, &it[4], stq);
	VSTAILQ_REMOVE_AFTER(&h, &it[2], stq);	// it[4], the last again
	EXPECT_EQ(VSTAILQ_LAST(&h, Item, stq), &it[2]);
	VSTAILQ_REMOVE_HEAD(&h, stq);
	EXPECT_EQ(VSTAILQ_FIRST(&h), &it[1]);
	VSTAILQ_CONCAT(&g, &h);
	EXPECT_TRUE(VSTAILQ_EMPTY(&h));
	VSTAILQ_SWAP(&g, &h, Item);
	EXPECT_TRUE(VSTAILQ_EMPTY(&g));
	EXPECT_EQ(VSTAILQ_LAST(&g, Item, stq), nullptr);
	std::vector<int> got;
	Item *i = nullptr, *t;
	VSTAILQ_FOREACH_FROM(i, &h, stq)
		got.push_back(i->v);
	EXPECT_EQ(got, (std::vector<int>{1, 2}));
	VSTAILQ_FOREACH_SAFE(i, &h, stq, t)
		VSTAILQ_REMOVE(&h, i, Item, stq);
	EXPECT_TRUE(VSTAILQ_EMPTY(&h));
	VSTAILQ_INSERT_TAIL(&h, &it[0], stq);	// tail slot was reset to the head
	EXPECT_EQ(VSTAILQ_FIRST(&h), &it[0]);
}

TEST(VlibVqueue, vslist_remove_prevptr_and_swap) {
	Item it[4];
	SlHead h = VSLIST_HEAD_INITIALIZER(h), g;
	VSLIST_INIT(&g);
	for (int i = 3; i >= 0; i--) {
		it[i].v = i;
		VSLIST_INSERT_HEAD(&h, &it[i], sl);
	}
	VSLIST_REMOVE(&h, &it[2], Item, sl);
	Item *i, **ip;
	std::vector<int> got;
	VSLIST_FOREACH(i, &h, sl)
		got.push_back(i->v);
	EXPECT_EQ(got, (std::vector<int>{0, 1, 3}));
	VSLIST_FOREACH_PREVPTR(i, ip, &h, sl)
		if (i->v == 3)
			break;
	EXPECT_EQ(ip, &VSLIST_NEXT(&it[1], sl));
	VSLIST_REMOVE_AFTER(&it[0], sl);
	EXPECT_EQ(VSLIST_NEXT(&it[0], sl), &it[3]);
	VSLIST_SWAP(&h, &g, Item);
	EXPECT_TRUE(VSLIST_EMPTY(&h));
	VSLIST_REMOVE_HEAD(&g, sl);
	EXPECT_EQ(VSLIST_FIRST(&g), &it[3]);
}

}  // namespace
